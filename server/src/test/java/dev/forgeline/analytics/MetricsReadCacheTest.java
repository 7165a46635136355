package dev.forgeline.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.analytics.GithubDeliveries.Commit;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metrics answers are kept in memory (forgeline.analytics.answer-ttl and directory-ttl, longer than this test): each change
 * that alters an answer shows in the very next read, and one organisation never gets another's answer.
 */
@ForgelineTest
@TestPropertySource(properties = {AnalyticsTests.ADMIN, AnalyticsTests.NO_ALERT_JOB, AnalyticsTests.NO_SNAPSHOT_JOB,
        AnalyticsTests.SNAPSHOTS_KEPT_30_DAYS})
class MetricsReadCacheTest {

    static final String WINDOW = "from=2026-06-01&to=2026-06-28";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired Organisations organisations;
    @LocalServerPort int port;

    record Source(long connection, String secret, GithubDeliveries repo) {
    }

    private Source source(TestHttp admin, String suffix, long forgeId) {
        String secret = "secret-" + UUID.randomUUID();
        long connection = json.readTree(admin.post("/api/v1/connections",
                "{\"provider\":\"github\",\"name\":\"c" + suffix + "\",\"secret\":\"" + secret + "\"}").body()).get("id").asLong();
        return new Source(connection, secret, new GithubDeliveries(port, connection, secret, json, forgeId));
    }

    private void push(Source s, GithubDeliveries repo, String sha, String login, String day) {
        GithubDeliveries.sendAll(db, s.connection(), List.of(repo),
                List.of(repo.push("main", List.of(new Commit(sha, login, Instant.parse("2026-06-" + day + "T10:00:00Z"))))), repo);
    }

    private int commits(TestHttp admin, String org, String filter) {
        var answer = admin.get("/api/v1/orgs/" + org + "/metrics/summary?" + WINDOW + filter);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json.readTree(answer.body()).get("commits").asInt();
    }

    private long member(long organisation, String username, String login) {
        long account = organisations.createAccount(username, username, null);
        organisations.addMember(organisation, account, OrgRole.DEVELOPER);
        organisations.linkIdentity(account, ForgeIdentity.login("github", login));
        return account;
    }

    @Test
    void eachChangeShowsInTheNextReadAndNoOrganisationSeesAnothersAnswer() {
        TestHttp admin = new TestHttp(port, AnalyticsTests.ADMIN_TOKEN);
        String suffix = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000L);
        long forgeIds = 700_000_000L + Long.parseLong(suffix) % 100_000_000L;
        String ana = "ana-" + suffix, ben = "ben-" + suffix, cai = "cai-" + suffix, dan = "dan-" + suffix;
        Source a = source(admin, suffix + "a", forgeIds);
        push(a, a.repo(), "a".repeat(40), ana, "03");
        push(a, a.repo(), "b".repeat(40), ben, "04");
        push(a, a.repo(), "c".repeat(40), cai, "05");
        Source b = source(admin, suffix + "b", forgeIds + 1);
        push(b, b.repo(), "d".repeat(40), dan, "03");

        Organisation acme = organisations.create("acme-" + suffix, "Acme", Organisation.Kind.TEAM);
        Organisation other = organisations.create("other-" + suffix, "Other", Organisation.Kind.TEAM);
        organisations.assignConnection(acme.id(), a.connection());
        organisations.assignConnection(other.id(), b.connection());
        member(acme.id(), "ana" + suffix, ana);
        long benAccount = member(acme.id(), "ben" + suffix, ben);
        member(other.id(), "dan" + suffix, dan);
        var core = organisations.createTeam(acme.id(), "core", "Core");
        organisations.addTeamMember(core.id(), organisations.people(acme.id()).getFirst().accountId());
        var otherCore = organisations.createTeam(other.id(), "core", "Core");
        organisations.addTeamMember(otherCore.id(), organisations.people(other.id()).getFirst().accountId());

        assertThat(commits(admin, acme.slug(), "")).isEqualTo(3);
        assertThat(commits(admin, acme.slug(), "&team=core")).as("ana's").isEqualTo(1);
        assertThat(commits(admin, other.slug(), "")).as("the same read of another organisation").isEqualTo(1);
        assertThat(commits(admin, other.slug(), "&team=core")).isEqualTo(1);

        organisations.addTeamMember(core.id(), benAccount);
        assertThat(commits(admin, acme.slug(), "&team=core")).as("ben joined the team").isEqualTo(2);

        push(a, a.repo(), "e".repeat(40), ana, "06");
        assertThat(commits(admin, acme.slug(), "")).as("an event processed").isEqualTo(4);
        assertThat(commits(admin, acme.slug(), "&team=core")).isEqualTo(3);

        GithubDeliveries second = new GithubDeliveries(port, a.connection(), a.secret(), json, forgeIds + 2);
        push(a, second, "f".repeat(40), ben, "07");
        assertThat(commits(admin, acme.slug(), "&person=ben" + suffix)).as("a new repository of the organisation").isEqualTo(2);

        assertThat(admin.get("/api/v1/orgs/" + acme.slug() + "/metrics/summary?person=cai" + suffix).statusCode())
                .as("not a member yet").isEqualTo(404);
        member(acme.id(), "cai" + suffix, cai);
        assertThat(commits(admin, acme.slug(), "&person=cai" + suffix)).as("a new member with a linked identity").isEqualTo(1);
        assertThat(commits(admin, other.slug(), "")).as("untouched by the other's changes").isEqualTo(1);
    }
}
