package dev.forgeline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.forgeline.test.ForgelineTest;

@ForgelineTest
class OrganisationsTest {

    @Autowired Organisations organisations;

    @Test
    void peopleAreFoundByTheirForgeLoginFirstThenByAnyOfTheirCommitEmails() {
        String suffix = Long.toString(System.nanoTime());
        long ada = organisations.createAccount("ada-" + suffix, "Ada", null);
        long grace = organisations.createAccount("grace-" + suffix, "Grace", null);
        organisations.linkIdentity(ada, ForgeIdentity.login("github", "ada-gh-" + suffix));
        organisations.linkIdentity(grace, ForgeIdentity.email("Grace-" + suffix + "@Example.com"));

        assertThat(organisations.personOf("github", "ada-gh-" + suffix, "grace-" + suffix + "@example.com")).contains(ada);
        assertThat(organisations.personOf("gitlab", "ada-gh-" + suffix, null)).as("a login belongs to one provider").isEmpty();
        assertThat(organisations.personOf("gitlab", "someone", "GRACE-" + suffix + "@example.com")).contains(grace);
    }

    @Test
    void membersHaveTheirRoleStrangersNoneAndSiteAdminsOwnEverything() {
        String suffix = Long.toString(System.nanoTime());
        Organisation course = organisations.create("course-" + suffix, "Course", Organisation.Kind.COURSE);
        Team team = organisations.createTeam(course.id(), "team-a", "Team A");
        long student = organisations.createAccount("student-" + suffix, "Student", null);
        long stranger = organisations.createAccount("stranger-" + suffix, "Stranger", null);
        organisations.addMember(course.id(), student, OrgRole.DEVELOPER);
        organisations.addTeamMember(team.id(), student);
        organisations.assignRepository(team.id(), 4242);
        organisations.assignConnection(course.id(), 77_000 + course.id());

        assertThat(organisations.roleOf(caller(student, false), course.id())).contains(OrgRole.DEVELOPER);
        assertThat(organisations.roleOf(caller(stranger, false), course.id())).isEmpty();
        assertThat(organisations.roleOf(caller(stranger, true), course.id())).contains(OrgRole.OWNER);
        organisations.addMember(course.id(), student, OrgRole.MANAGER);
        assertThat(organisations.roleOf(caller(student, false), course.id())).as("role changed, not duplicated").contains(OrgRole.MANAGER);

        assertThat(organisations.find("course-" + suffix)).contains(course);
        assertThat(organisations.teamsOf(course.id(), student)).containsExactly(team.id());
        assertThat(organisations.teamMembers(team.id())).containsExactly(student);
        assertThat(organisations.teamRepositories(team.id())).isEqualTo(Set.of(4242L));
        assertThat(organisations.connections(course.id())).containsExactly(77_000 + course.id());
        assertThat(organisations.ownerOfConnection(77_000 + course.id())).contains(course.id());
        assertThat(organisations.people(course.id())).extracting(Person::username, Person::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("student-" + suffix, OrgRole.MANAGER));
    }

    private static Caller caller(long account, boolean admin) {
        return new Caller(account, "someone", admin, Set.of("read"));
    }
}
