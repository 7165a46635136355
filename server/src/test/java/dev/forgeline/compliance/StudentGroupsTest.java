package dev.forgeline.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.activity.Repositories;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A student reads their own group's work and nothing of another group's, by the rule of the team page, on every
 * route and page that shows a repository; the teacher reads every group's.
 */
@ForgelineTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = "forgeline.admin-token=" + StudentGroupsTest.ADMIN_TOKEN)
class StudentGroupsTest {

    static final String ADMIN_TOKEN = "student-groups-test-admin-0123456789";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired Organisations organisations;
    @Autowired Repositories repositories;
    @LocalServerPort int port;

    StudentCourse course;
    TestHttp teacher;
    TestHttp alice;
    long ours;
    long theirs;

    @BeforeAll
    void courseWithAnOpenMergeRequestInEachGroup() {
        course = StudentCourse.create(port, ADMIN_TOKEN, json, db, organisations, repositories);
        course.openMergeRequest("team-a", 40, "feature/waiting-in-a");
        course.openMergeRequest("team-b", 40, "feature/waiting-in-b");
        teacher = new TestHttp(port, ADMIN_TOKEN);
        alice = new TestHttp(port, course.studentToken("team-a", organisations));
        ours = course.repositories.get("team-a");
        theirs = course.repositories.get("team-b");
    }

    @Test
    void aStudentGetsTheSameRefusalForAnotherGroupsRepositoriesAsForItsTeamPage() {
        assertThat(alice.get("/orgs/" + course.slug + "/teams/team-b").statusCode()).as("the team page's rule").isEqualTo(403);
        assertThat(alice.get("/orgs/" + course.slug + "/repositories/" + theirs).statusCode()).isEqualTo(403);
        assertThat(alice.get("/orgs/" + course.slug + "?repository=" + theirs).statusCode()).isEqualTo(403);
        for (String part : new String[] {"pull-requests", "commits", "pipelines", "deployments", "issues"}) {
            assertThat(alice.get("/api/v1/repositories/" + theirs + "/" + part).statusCode()).as(part).isEqualTo(404);
            assertThat(alice.get("/api/v1/repositories/" + ours + "/" + part).statusCode()).as(part).isEqualTo(200);
        }
        assertThat(alice.get("/api/v1/orgs/" + course.slug + "/metrics/summary?repository=" + theirs).statusCode()).isEqualTo(404);
        assertThat(alice.get("/api/v1/orgs/" + course.slug + "/metrics/summary?repository=" + ours).statusCode()).isEqualTo(200);

        var own = alice.get("/orgs/" + course.slug + "/repositories/" + ours);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("Merge feature/waiting-in-a");
        JsonNode listed = json.readTree(alice.get("/api/v1/repositories").body());
        assertThat(listed.valueStream().map(r -> r.get("id").asLong()).toList()).containsExactly(ours);
    }

    @Test
    void theWaitingLongestListShowsAStudentOnlyTheirOwnGroupsPullRequests() {
        var overview = alice.get("/orgs/" + course.slug);
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("Merge feature/waiting-in-a").doesNotContain("Merge feature/waiting-in-b")
                .doesNotContain(course.slug + "/team-b");
    }

    @Test
    void theTeacherStillSeesEveryGroupsWork() {
        var overview = teacher.get("/orgs/" + course.slug);
        assertThat(overview.body()).contains("Merge feature/waiting-in-a", "Merge feature/waiting-in-b");
        assertThat(teacher.get("/orgs/" + course.slug + "/repositories/" + theirs).statusCode()).isEqualTo(200);
        var prs = teacher.get("/api/v1/repositories/" + theirs + "/pull-requests");
        assertThat(prs.statusCode()).isEqualTo(200);
        assertThat(json.readTree(prs.body()).valueStream().map(p -> p.get("title").asString()))
                .contains("Merge feature/waiting-in-b");
    }
}
