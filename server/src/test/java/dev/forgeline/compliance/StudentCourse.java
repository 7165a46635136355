package dev.forgeline.compliance;

import static dev.forgeline.compliance.GitlabHistory.commit;
import static dev.forgeline.schema.Tables.API_TOKEN;
import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;

import dev.forgeline.activity.Repositories;
import dev.forgeline.activity.RepositoryRef;
import dev.forgeline.compliance.GitlabHistory.Author;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Team;
import dev.forgeline.test.TestHttp;

import tools.jackson.databind.json.JsonMapper;

/**
 * A course with two student teams and three weeks of their GitLab history, posted through the webhook endpoint:
 * Team A (Alice, Bob, Carol) works by the book, Team B (Dave, Erin) crams and games. The expected scores of every
 * rule are worked out by hand in ComplianceTest.
 */
public final class StudentCourse {

    /** The course's slug. */
    public final String slug;
    /** Dave's API token: a student of Team B. */
    public final String studentToken;
    /** Day 0 of the history, 00:00 UTC twenty days ago: every team is scored over three weeks. */
    public final Instant day0;

    /** Each team's repository id, by team slug (team-a, team-b). */
    public final Map<String, Long> repositories = new LinkedHashMap<>();

    private final DSLContext db;
    private final Map<String, GitlabHistory> histories = new LinkedHashMap<>();
    private final Map<String, Author> firstStudents = new LinkedHashMap<>();

    private StudentCourse(String slug, String studentToken, Instant day0, DSLContext db) {
        this.slug = slug;
        this.studentToken = studentToken;
        this.day0 = day0;
        this.db = db;
    }

    /** An API token of the team's first student (Alice of team-a, Dave of team-b). */
    public String studentToken(String team, Organisations organisations) {
        return token(db, organisations.personOf("gitlab", firstStudents.get(team).login(), null).orElseThrow());
    }

    /** The team's first student opens a merge request from the branch now, and it is processed. */
    public void openMergeRequest(String team, long iid, String branch) {
        GitlabHistory history = histories.get(team);
        history.openMergeRequest(iid, branch, firstStudents.get(team), Instant.now().minus(Duration.ofHours(1)));
        history.awaitProcessed(this::status);
    }

    /** Builds the course and its history, and waits until every delivery is processed. */
    public static StudentCourse create(int port, String adminToken, JsonMapper json, DSLContext db, Organisations organisations,
                                       Repositories repositories) {
        TestHttp teacher = new TestHttp(port, adminToken);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant day0 = LocalDate.now(ZoneOffset.UTC).minusDays(20).atStartOfDay(ZoneOffset.UTC).toInstant();
        String secret = "course-secret-" + run + run;
        var created = teacher.post("/api/v1/connections", "{\"provider\":\"gitlab\",\"name\":\"course\",\"secret\":\"" + secret + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long connection = json.readTree(created.body()).get("id").asLong();

        String course = "se-" + run;
        Organisation org = organisations.create(course, "Software Engineering", Organisation.Kind.COURSE);
        organisations.assignConnection(org.id(), connection);
        Team a = organisations.createTeam(org.id(), "team-a", "Team A");
        Team b = organisations.createTeam(org.id(), "team-b", "Team B");
        Author alice = student(organisations, org, a, "alice", run);
        Author bob = student(organisations, org, a, "bob", run);
        Author carol = student(organisations, org, a, "carol", run);
        Author dave = student(organisations, org, b, "dave", run);
        Author erin = student(organisations, org, b, "erin", run);
        String studentToken = token(db, organisations.personOf("gitlab", dave.login(), null).orElseThrow());
        StudentCourse result = new StudentCourse(course, studentToken, day0, db);

        long projectA = 700_000_000L + Math.abs(run.hashCode() % 1_000_000) * 10;
        GitlabHistory teamA = new GitlabHistory(json, port, connection, secret, projectA, course + "/team-a");
        GitlabHistory teamB = new GitlabHistory(json, port, connection, secret, projectA + 1, course + "/team-b");
        result.histories.put("team-a", teamA);
        result.histories.put("team-b", teamB);
        result.firstStudents.put("team-a", alice);
        result.firstStudents.put("team-b", dave);

        // Team A: three members, a commit each per week on its own branch and day, every commit linked to an issue,
        // merge requests reviewed by someone else, a pipeline every week (one failed), docs kept up.
        teamA.issue(1, "Project skeleton", alice, result.at(0, 9, 0), result.at(2, 9, 0))
                .issue(2, "Readme", bob, result.at(1, 9, 0), result.at(3, 9, 0))
                .issue(3, "CI", carol, result.at(2, 9, 0), result.at(4, 9, 0))
                .issue(4, "Login", alice, result.at(7, 9, 0), result.at(9, 9, 0))
                .issue(5, "Sessions", bob, result.at(9, 9, 0), result.at(11, 9, 0))
                .issue(6, "Expiry", alice, result.at(14, 9, 0), null)
                .push("feature/skeleton", alice, commit("a1a1", "Add project skeleton #1", result.at(0, 10, 0), alice, "src/app.py", "pyproject.toml"))
                .push("docs/readme", bob, commit("a2a2", "Write README with build steps #2", result.at(1, 11, 0), bob, "README.md"))
                .push("ci/setup", carol, commit("a3a3", "Add CI configuration for tests #3", result.at(2, 12, 0), carol, ".gitlab-ci.yml"))
                .push("feature/login", alice, commit("a4a4", "Implement login form #4", result.at(8, 10, 0), alice, "src/login.py"))
                .push("feature/session", bob, commit("a5a5", "Add session storage #5", result.at(9, 11, 0), bob, "src/session.py"))
                .push("feature/login-tests", carol, commit("a6a6", "Test login form validation #4", result.at(10, 12, 0), carol, "tests/test_login.py"))
                .push("feature/expiry", alice, commit("a7a7", "Handle expired sessions #6", result.at(15, 10, 0), alice, "src/session.py"))
                .push("docs/session", bob, commit("a8a8", "Document the session API #5", result.at(16, 11, 0), bob, "docs/session.md"))
                .push("feature/logout", carol, commit("a9a9", "Add logout button #7", result.at(17, 12, 0), carol, "src/logout.py"))
                .openMergeRequest(1, "feature/skeleton", alice, result.at(0, 14, 0))
                .approve(1, "feature/skeleton", bob, result.at(0, 14, 0), result.at(1, 10, 0))
                .merge(1, "feature/skeleton", carol, result.at(0, 14, 0), result.at(1, 15, 0))
                .openMergeRequest(2, "feature/session", bob, result.at(8, 14, 0))
                .commentOnMergeRequest(2, 9001, alice, result.at(9, 9, 0))
                .merge(2, "feature/session", bob, result.at(8, 14, 0), result.at(9, 10, 0))
                .openMergeRequest(3, "feature/expiry", carol, result.at(15, 14, 0))
                .approve(3, "feature/expiry", alice, result.at(15, 14, 0), result.at(16, 9, 0))
                .merge(3, "feature/expiry", alice, result.at(15, 14, 0), result.at(16, 10, 0))
                .pipeline(1, "feature/skeleton", "a1a1", "success", result.at(0, 10, 5), result.at(0, 10, 9))
                .pipeline(2, "feature/login", "a4a4", "failed", result.at(8, 10, 5), result.at(8, 10, 9))
                .pipeline(3, "feature/login", "a4a4", "success", result.at(8, 11, 0), result.at(8, 11, 4))
                .pipeline(4, "feature/expiry", "a7a7", "success", result.at(15, 10, 5), result.at(15, 10, 9));

        // Team B: Dave does most of it straight on main the night before the deadline (one commit empty), an issue is
        // opened and closed at once, Erin merges her own merge request unreviewed, no pipelines, no docs.
        teamB.issue(1, "Plan", dave, result.at(0, 9, 0), result.at(0, 9, 2))
                .push("main", dave, commit("b1b1", "wip", result.at(1, 10, 0), dave, "main.py"))
                .issue(2, "Tests", erin, result.at(19, 19, 0), null)
                .push("main", dave, commit("b2b2", "Implement everything for the project", result.at(19, 20, 0), dave, "main.py", "util.py"),
                        commit("b3b3", "fix", result.at(19, 21, 0), dave))
                .push("feature/tests", erin, commit("b4b4", "Add tests for everything #1", result.at(19, 22, 0), erin, "tests/test_main.py"))
                .openMergeRequest(1, "feature/tests", erin, result.at(19, 22, 30))
                .merge(1, "feature/tests", erin, result.at(19, 22, 30), result.at(19, 23, 0));

        teamA.awaitProcessed(result::status);
        teamB.awaitProcessed(result::status);
        Map<String, Long> byName = new LinkedHashMap<>();
        for (RepositoryRef ref : repositories.ofConnections(List.of(connection))) {
            byName.put(ref.fullName(), ref.id());
        }
        organisations.assignRepository(a.id(), byName.get(course + "/team-a"));
        organisations.assignRepository(b.id(), byName.get(course + "/team-b"));
        result.repositories.put("team-a", byName.get(course + "/team-a"));
        result.repositories.put("team-b", byName.get(course + "/team-b"));
        return result;
    }

    Instant at(int day, int hour, int minute) {
        return day0.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(minute));
    }

    private String status(long event) {
        return db.select(WEBHOOK_EVENT.STATUS).from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.ID.eq(event)).fetchSingle(WEBHOOK_EVENT.STATUS);
    }

    private static Author student(Organisations organisations, Organisation org, Team team, String name, String run) {
        Author author = new Author(name + "-" + run, name.substring(0, 1).toUpperCase() + name.substring(1) + " " + run,
                name + "-" + run + "@students.example");
        long account = organisations.createAccount(author.login(), author.name(), author.email());
        organisations.addMember(org.id(), account, OrgRole.DEVELOPER);
        organisations.addTeamMember(team.id(), account);
        organisations.linkIdentity(account, ForgeIdentity.login("gitlab", author.login()));
        organisations.linkIdentity(account, ForgeIdentity.email(author.email()));
        return author;
    }

    /** An API token for the account, stored the way tokens are: only its SHA-256. */
    public static String token(DSLContext db, long account) {
        String token = "flp_" + UUID.randomUUID().toString().replace("-", "");
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
            db.insertInto(API_TOKEN).set(API_TOKEN.ACCOUNT_ID, account).set(API_TOKEN.NAME, "test")
                    .set(API_TOKEN.TOKEN_HASH, hash).set(API_TOKEN.SCOPES, "read,write")
                    .set(API_TOKEN.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC)).execute();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return token;
    }

}
