package dev.forgeline.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

class OrgAccessTest {

    static final Organisation COURSE = new Organisation(1, "db-course", "Databases", Organisation.Kind.COURSE);
    static final long SELF = 10;
    static final long TEAMMATE = 11;
    static final long STRANGER = 12;

    static OrgAccess as(OrgRole role) {
        return new OrgAccess(COURSE, role, new Caller(SELF, "me", false, Set.of("read")), Set.of(100L), Set.of(SELF, TEAMMATE));
    }

    @Test
    void aDeveloperSeesTheirOwnDetailAndTheirTeamsAggregatesOnly() {
        OrgAccess developer = as(OrgRole.DEVELOPER);
        assertThat(developer.mayReadPerson(SELF)).isTrue();
        assertThat(developer.mayReadPerson(TEAMMATE)).isFalse();
        assertThat(developer.mayReadTeam(100)).isTrue();
        assertThat(developer.mayReadTeam(200)).isFalse();
    }

    @Test
    void aManagerSeesThePeopleOfTheirTeams() {
        OrgAccess manager = as(OrgRole.MANAGER);
        assertThat(manager.mayReadPerson(TEAMMATE)).isTrue();
        assertThat(manager.mayReadPerson(STRANGER)).isFalse();
        assertThat(manager.mayReadTeam(200)).isFalse();
    }

    @Test
    void adminsAndOwnersSeeEverything() {
        for (OrgRole role : new OrgRole[] {OrgRole.ADMIN, OrgRole.OWNER}) {
            assertThat(as(role).mayReadPerson(STRANGER)).isTrue();
            assertThat(as(role).mayReadTeam(200)).isTrue();
        }
    }

    @Test
    void inACourseAGroupsRepositoriesAreReadAsItsTeamPage() {
        assertThat(as(OrgRole.DEVELOPER).mayReadRepository(Set.of(100L))).isTrue();
        assertThat(as(OrgRole.DEVELOPER).mayReadRepository(Set.of(200L))).isFalse();
        assertThat(as(OrgRole.DEVELOPER).mayReadRepository(Set.of(200L, 100L))).as("shared with their group").isTrue();
        assertThat(as(OrgRole.DEVELOPER).mayReadRepository(Set.of())).as("the course's own repository").isTrue();
        assertThat(as(OrgRole.MANAGER).mayReadRepository(Set.of(200L))).isFalse();
        assertThat(as(OrgRole.ADMIN).mayReadRepository(Set.of(200L))).isTrue();
        OrgAccess companyDeveloper = new OrgAccess(new Organisation(2, "acme", "Acme", Organisation.Kind.TEAM), OrgRole.DEVELOPER,
                new Caller(SELF, "me", false, Set.of("read")), Set.of(100L), Set.of(SELF));
        assertThat(companyDeveloper.mayReadRepository(Set.of(200L))).as("a company's repositories are everyone's there").isTrue();
    }

    @Test
    void aCourseNamesItsRolesAsTeachersAndStudents() {
        assertThat(OrgRole.ADMIN.title(Organisation.Kind.COURSE)).isEqualTo("Teacher");
        assertThat(OrgRole.MANAGER.title(Organisation.Kind.COURSE)).isEqualTo("Teacher");
        assertThat(OrgRole.DEVELOPER.title(Organisation.Kind.COURSE)).isEqualTo("Student");
        assertThat(OrgRole.DEVELOPER.title(Organisation.Kind.TEAM)).isEqualTo("Developer");
        assertThat(OrgRole.OWNER.atLeast(OrgRole.ADMIN)).isTrue();
        assertThat(OrgRole.MANAGER.atLeast(OrgRole.ADMIN)).isFalse();
    }
}
