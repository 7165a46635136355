package dev.forgeline.identity.internal;

import static dev.forgeline.identity.internal.FakeGitlab.array;
import static dev.forgeline.identity.internal.FakeGitlab.group;
import static dev.forgeline.identity.internal.FakeGitlab.member;
import static dev.forgeline.identity.internal.FakeGitlab.project;
import static dev.forgeline.schema.Tables.ACCOUNT;
import static dev.forgeline.schema.Tables.AUDIT_EVENT;
import static dev.forgeline.schema.Tables.ORGANISATION;
import static dev.forgeline.schema.Tables.REPOSITORY;
import static dev.forgeline.schema.Tables.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.StreamSupport;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.test.Eventually;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestDatabase;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Importing a GitLab course group against GitLab's API on loopback: subgroups become teams with their projects and
 * members, roles follow access levels, running it again converges, and a GitLab that refuses or fails changes nothing.
 */
@ForgelineTest
// GitLab runs on loopback here, which the server refuses to request unless told (OutboundRefusalTest shows the refusal);
// a database of its own, so that the import jobs are not claimed by another test's server, which is not told.
@TestPropertySource(properties = {"forgeline.admin-token=" + GitlabGroupImportTest.ADMIN_TOKEN, "forgeline.db.pool-size=5",
        "forgeline.outbound.allowed-ranges=127.0.0.0/8", TestDatabase.OWN_DATABASE + "=gitlab_import"})
class GitlabGroupImportTest {

    static final String ADMIN_TOKEN = "gitlab-import-admin-0123456789abc";
    static final String GITLAB_TOKEN = "glpat-import-9a8b7c6d5e4f3a2b1c0d";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired ApiTokens tokens;
    @LocalServerPort int port;

    FakeGitlab gitlab;
    TestHttp admin;
    String run;
    long base;
    String course;
    TestHttp teacher;

    @BeforeEach
    void setUp() throws Exception {
        gitlab = new FakeGitlab(GITLAB_TOKEN);
        admin = new TestHttp(port, ADMIN_TOKEN);
        run = UUID.randomUUID().toString().substring(0, 6);
        // GitLab ids of this test alone: repositories and forge logins are unique across the run's database.
        base = ThreadLocalRandom.current().nextLong(1_000, 9_000_000) * 1_000;
        course = "se-" + run;
        ok(admin.post("/api/v1/orgs", "{\"slug\":\"" + course + "\",\"name\":\"Software Engineering\",\"kind\":\"course\"}"), 201);
        teacher = as(orgMember(course, "lead-" + run, "admin"));
    }

    @AfterEach
    void stop() {
        gitlab.close();
    }

    /** The course group {@code courses/se-…} with two subgroups, listed over two pages, each with projects and members. */
    private void courseGroup(String teamAName, String teamAPath, boolean fooStays) {
        String root = "courses/se-" + run;
        long rootId = base + 1;
        gitlab.object("/api/v4/groups/courses%2Fse-" + run, group(rootId, "SE " + run, "se-" + run, root, base));
        gitlab.list("/api/v4/groups/" + rootId + "/descendant_groups",
                array(group(base + 2, teamAName, teamAPath, root + "/" + teamAPath, rootId)),
                array(group(base + 3, "Team B", "team-b", root + "/team-b", rootId)));
        gitlab.list("/api/v4/groups/" + (base + 2) + "/projects",
                array(project(base + 11, "Webshop", "webshop", root + "/" + teamAPath, base + 2, teamAName)),
                array(project(base + 12, "Shop API", "shop-api", root + "/" + teamAPath, base + 2, teamAName)));
        gitlab.list("/api/v4/groups/" + (base + 3) + "/projects",
                array(project(base + 13, "Quiz app", "quiz-app", root + "/team-b", base + 3, "Team B")));
        String raymond = member(base + 101, "raymond_smith_" + run, "Raymond Smith", "active", 50);
        String john = member(base + 102, "john_doe_" + run, "John Doe", "active", 30);
        String foo = member(base + 103, "foo_bar_" + run, "Foo bar", "active", 30);
        String blocked = member(base + 104, "blocked_" + run, "Blocked Person", "blocked", 30);
        gitlab.list("/api/v4/groups/" + (base + 2) + "/members/all",
                array(raymond, john), fooStays ? array(foo, blocked) : array(blocked));
        gitlab.list("/api/v4/groups/" + (base + 3) + "/members/all",
                array(raymond, member(base + 105, "ada_" + run, "Ada Lovelace", "active", 30)));
    }

    @Test
    void subgroupsBecomeTeamsWithTheirProjectsAndMembersAndRunningItAgainConverges() {
        gitlab.withoutLinkHeaders();
        courseGroup("Team A", "team-a", true);
        long connection = gitlabConnection(course, gitlab.baseUrl(), GITLAB_TOKEN);
        // Ada has an account already, linked to her GitLab username: she is the one added, not a new person.
        long ada = orgMember(course, "ada-" + run, "developer");
        ok(admin.post("/api/v1/orgs/" + course + "/people/" + ada + "/identities",
                "{\"provider\":\"gitlab\",\"login\":\"ada_" + run + "\"}"), 201);

        JsonNode first = importAndWait(connection, "courses/se-" + run);
        assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded");
        assertThat(first.get("groupPath").asString()).isEqualTo("courses/se-" + run);
        assertThat(counts(first)).containsExactly(2, 0, 3, 3, 3, 5, 0);
        assertThat(gitlab.tokensSeen).isNotEmpty().allMatch(GITLAB_TOKEN::equals);
        assertThat(gitlab.requests).contains("/api/v4/groups/" + (base + 1) + "/descendant_groups?per_page=100&page=2",
                "/api/v4/groups/" + (base + 2) + "/members/all?per_page=100&page=2");

        Map<String, String> teams = teams(course);
        assertThat(teams).containsExactlyInAnyOrderEntriesOf(Map.of("team-a", "Team A", "team-b", "Team B"));
        Map<String, Long> accounts = accounts("raymond_smith_", "john_doe_", "foo_bar_");
        JsonNode teamA = ok(teacher.get("/api/v1/orgs/" + course + "/teams/team-a"), 200);
        assertThat(ids(teamA.get("members"))).containsExactlyInAnyOrder(accounts.get("raymond_smith_"), accounts.get("john_doe_"),
                accounts.get("foo_bar_"));
        assertThat(ids(teamA.get("repositories"))).containsExactlyInAnyOrder(repository(base + 11, connection), repository(base + 12, connection));
        JsonNode teamB = ok(teacher.get("/api/v1/orgs/" + course + "/teams/team-b"), 200);
        assertThat(ids(teamB.get("members"))).containsExactlyInAnyOrder(accounts.get("raymond_smith_"), ada);
        assertThat(ids(teamB.get("repositories"))).containsExactly(repository(base + 13, connection));
        assertThat(db.fetchCount(ACCOUNT, ACCOUNT.USERNAME.startsWith("blocked_" + run))).as("blocked members are left out").isZero();

        Map<Long, JsonNode> people = new HashMap<>();
        ok(teacher.get("/api/v1/orgs/" + course + "/people"), 200).forEach(p -> people.put(p.get("accountId").asLong(), p));
        assertThat(people.get(accounts.get("raymond_smith_")).get("roleTitle").asString()).isEqualTo("Teacher");
        assertThat(people.get(accounts.get("raymond_smith_")).get("role").asString()).isEqualTo("manager");
        assertThat(people.get(accounts.get("john_doe_")).get("roleTitle").asString()).isEqualTo("Student");
        assertThat(people.get(ada).get("role").asString()).isEqualTo("developer");
        assertThat(people.get(accounts.get("john_doe_")).get("identities").get(0).get("login").asString()).isEqualTo("john_doe_" + run);
        assertThat(db.select(ACCOUNT.PASSWORD_HASH).from(ACCOUNT).where(ACCOUNT.ID.eq(accounts.get("john_doe_"))).fetchOne(ACCOUNT.PASSWORD_HASH))
                .as("imported people sign in through GitLab, or get a password later").isNull();
        assertThat(db.fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("gitlab-import.requested").and(AUDIT_EVENT.TARGET_ID.eq(course)))).isEqualTo(1);
        assertThat(db.fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("gitlab-import.applied").and(AUDIT_EVENT.TARGET_ID.eq(course)))).isEqualTo(1);

        JsonNode again = importAndWait(connection, "courses/se-" + run);
        assertThat(again.get("id").asLong()).as("the same group is one import").isEqualTo(first.get("id").asLong());
        assertThat(again.get("status").asString()).isEqualTo("succeeded");
        assertThat(counts(again)).containsExactly(0, 0, 0, 0, 0, 0, 0);
        assertThat(teams(course)).isEqualTo(teams);
        assertThat(ids(ok(teacher.get("/api/v1/orgs/" + course + "/teams/team-a"), 200).get("members"))).hasSize(3);
        assertThat(ok(teacher.get("/api/v1/orgs/" + course + "/imports"), 200)).hasSize(1);
    }

    @Test
    void aSubgroupRenamedUpstreamRenamesItsTeamAndDeparturesLeaveIt() {
        courseGroup("Team A", "team-a", true);
        long connection = gitlabConnection(course, gitlab.baseUrl(), GITLAB_TOKEN);
        assertThat(importAndWait(connection, "courses/se-" + run).get("status").asString()).isEqualTo("succeeded");
        long teamAId = db.select(TEAM.ID).from(TEAM)
                .where(TEAM.SLUG.eq("team-a")).and(TEAM.ORGANISATION_ID
                        .eq(db.select(ORGANISATION.ID).from(ORGANISATION)
                                .where(ORGANISATION.SLUG.eq(course))))
                .fetchSingle(TEAM.ID);

        courseGroup("Team Alpha", "team-alpha", false);
        JsonNode renamed = importAndWait(connection, "courses/se-" + run);
        assertThat(renamed.get("status").asString()).isEqualTo("succeeded");
        assertThat(counts(renamed)).containsExactly(0, 1, 0, 0, 0, 0, 1);
        assertThat(teams(course)).containsExactlyInAnyOrderEntriesOf(Map.of("team-alpha", "Team Alpha", "team-b", "Team B"));
        assertThat(db.fetchCount(TEAM, TEAM.ID.eq(teamAId)
                .and(TEAM.SLUG.eq("team-alpha")))).as("the same team, renamed").isEqualTo(1);
        JsonNode team = ok(teacher.get("/api/v1/orgs/" + course + "/teams/team-alpha"), 200);
        Map<String, Long> accounts = accounts("raymond_smith_", "john_doe_", "foo_bar_");
        assertThat(ids(team.get("members"))).containsExactlyInAnyOrder(accounts.get("raymond_smith_"), accounts.get("john_doe_"));
        assertThat(ids(team.get("repositories"))).hasSize(2);
    }

    @Test
    void gitlabRefusingTheTokenOrFailingPartWayChangesNothingAndSaysWhy() {
        courseGroup("Team A", "team-a", true);
        long wrongToken = gitlabConnection(course, gitlab.baseUrl(), "glpat-revoked-0000000000000000");
        JsonNode refused = importAndWait(wrongToken, "courses/se-" + run);
        assertThat(refused.get("status").asString()).isEqualTo("failed");
        assertThat(refused.get("error").asString()).contains("401").contains("API token");
        assertThat(counts(refused)).containsExactly(0, 0, 0, 0, 0, 0, 0);

        long connection = gitlabConnection(course, gitlab.baseUrl(), GITLAB_TOKEN);
        gitlab.fail("/api/v4/groups/" + (base + 3) + "/members/all", 503);
        JsonNode outage = importAndWait(connection, "courses/se-" + run);
        assertThat(outage.get("status").asString()).isEqualTo("failed");
        assertThat(outage.get("error").asString()).contains("503").contains("courses/se-" + run + "/team-b");
        assertThat(gitlab.requests).as("it got part way before the outage")
                .contains("/api/v4/groups/" + (base + 2) + "/members/all?per_page=100");

        assertThat(teams(course)).isEmpty();
        assertThat(db.fetchCount(ACCOUNT, ACCOUNT.USERNAME.startsWith("raymond_smith_" + run))).isZero();
        assertThat(db.fetchCount(REPOSITORY, REPOSITORY.PROVIDER.eq("gitlab").and(REPOSITORY.FORGE_ID.eq(Long.toString(base + 11))))).isZero();
        assertThat(ok(teacher.get("/api/v1/orgs/" + course + "/people"), 200)).hasSize(1);

        JsonNode unknown = importAndWait(connection, "courses/no-such-group-" + run);
        assertThat(unknown.get("status").asString()).isEqualTo("failed");
        assertThat(unknown.get("error").asString()).contains("404").contains("no-such-group");
    }

    @Test
    void onlyAnOrganisationsOwnGitlabConnectionWithATokenCanImport() {
        String other = "other-" + run;
        ok(admin.post("/api/v1/orgs", "{\"slug\":\"" + other + "\",\"name\":\"Other\",\"kind\":\"team\"}"), 201);
        long foreign = gitlabConnection(other, gitlab.baseUrl(), GITLAB_TOKEN);
        long github = ok(admin.post("/api/v1/connections", "{\"provider\":\"github\",\"name\":\"gh-" + run + "\",\"apiToken\":\"ghp_"
                + run + "0123456789\"}"), 201).get("id").asLong();
        ok(admin.post("/api/v1/orgs/" + course + "/connections/" + github, null), 204);
        long tokenless = ok(admin.post("/api/v1/connections", "{\"provider\":\"gitlab\",\"name\":\"bare-" + run + "\"}"), 201).get("id").asLong();
        ok(admin.post("/api/v1/orgs/" + course + "/connections/" + tokenless, null), 204);

        assertThat(status(teacher.post(imports(course), "{\"connectionId\":" + foreign + ",\"group\":\"courses/x\"}"))).isEqualTo(404);
        assertThat(status(teacher.post(imports(course), "{\"connectionId\":" + github + ",\"group\":\"courses/x\"}"))).isEqualTo(400);
        HttpResponse<String> bare = teacher.post(imports(course), "{\"connectionId\":" + tokenless + ",\"group\":\"courses/x\"}");
        assertThat(bare.statusCode()).isEqualTo(400);
        assertThat(bare.body()).contains("no API token");
        assertThat(status(teacher.post(imports(course), "{\"group\":\"courses/x\"}"))).isEqualTo(400);
        assertThat(status(teacher.post(imports(course), "{\"connectionId\":" + tokenless + ",\"group\":\" \"}"))).isEqualTo(400);
        assertThat(ok(teacher.get("/api/v1/orgs/" + course + "/imports"), 200)).isEmpty();

        // Another organisation's import is not found from here, even by its id.
        long otherImport = ok(admin.post(imports(other), "{\"connectionId\":" + foreign + ",\"group\":\"courses/x\"}"), 202).get("id").asLong();
        assertThat(status(teacher.get("/api/v1/orgs/" + course + "/imports/" + otherImport))).isEqualTo(404);
        TestHttp student = as(orgMember(course, "student-" + run, "developer"));
        assertThat(status(student.post(imports(course), "{\"connectionId\":" + tokenless + ",\"group\":\"courses/x\"}"))).isEqualTo(403);
    }

    private JsonNode importAndWait(long connection, String group) {
        JsonNode queued = ok(teacher.post(imports(course), "{\"connectionId\":" + connection + ",\"group\":\"" + group + "\"}"), 202);
        assertThat(queued.get("status").asString()).isIn("queued", "running");
        long id = queued.get("id").asLong();
        JsonNode[] last = new JsonNode[1];
        Eventually.await("the import to finish", Duration.ofSeconds(30), () -> {
            last[0] = ok(teacher.get("/api/v1/orgs/" + course + "/imports/" + id), 200);
            String status = last[0].get("status").asString();
            return status.equals("succeeded") || status.equals("failed");
        });
        return last[0];
    }

    private static String imports(String org) {
        return "/api/v1/orgs/" + org + "/imports/gitlab";
    }

    private static List<Integer> counts(JsonNode result) {
        return List.of("teamsCreated", "teamsUpdated", "repositoriesCreated", "repositoriesAssigned", "peopleCreated", "membersAdded",
                "membersRemoved").stream().map(field -> result.get(field).asInt()).toList();
    }

    private long gitlabConnection(String org, String baseUrl, String apiToken) {
        long id = ok(admin.post("/api/v1/connections", "{\"provider\":\"gitlab\",\"name\":\"gitlab-" + org + "\",\"baseUrl\":\""
                + baseUrl + "\",\"apiToken\":\"" + apiToken + "\"}"), 201).get("id").asLong();
        ok(admin.post("/api/v1/orgs/" + org + "/connections/" + id, null), 204);
        return id;
    }

    private long orgMember(String org, String username, String role) {
        long account = ok(admin.post("/api/v1/accounts", "{\"username\":\"" + username + "\"}"), 201).get("id").asLong();
        ok(admin.post("/api/v1/orgs/" + org + "/people", "{\"accountId\":" + account + ",\"role\":\"" + role + "\"}"), 200);
        return account;
    }

    private TestHttp as(long account) {
        String token = Tokens.generate("flp_");
        tokens.create(account, "test", token, Set.of("read", "write"), Instant.now().plusSeconds(600));
        return new TestHttp(port, token);
    }

    private Map<String, String> teams(String org) {
        Map<String, String> teams = new HashMap<>();
        ok(admin.get("/api/v1/orgs/" + org + "/teams"), 200).forEach(t -> teams.put(t.get("slug").asString(), t.get("name").asString()));
        return teams;
    }

    private Map<String, Long> accounts(String... gitlabUsernames) {
        Map<String, Long> accounts = new HashMap<>();
        for (String prefix : gitlabUsernames) {
            accounts.put(prefix, db.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.USERNAME.eq(prefix + run)).fetchSingle(ACCOUNT.ID));
        }
        return accounts;
    }

    private long repository(long projectId, long connection) {
        return db.select(REPOSITORY.ID).from(REPOSITORY).where(REPOSITORY.PROVIDER.eq("gitlab"))
                .and(REPOSITORY.FORGE_ID.eq(Long.toString(projectId))).and(REPOSITORY.CONNECTION_ID.eq(connection))
                .fetchSingle(REPOSITORY.ID);
    }

    private static List<Long> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asLong).toList();
    }

    private static int status(HttpResponse<String> answer) {
        return answer.statusCode();
    }

    private JsonNode ok(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer.body().isEmpty() ? null : json.readTree(answer.body());
    }
}
