package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.AUDIT_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.analytics.AnalyticsTests;
import dev.forgeline.analytics.GithubDeliveries;
import dev.forgeline.analytics.GithubDeliveries.Commit;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One organisation's admin acting on people: an account joins only by accepting an invitation, the answer tells the
 * inviter nothing about the account, and identity links count only in the organisation that made them.
 */
@ForgelineTest
@TestPropertySource(properties = {"forgeline.admin-token=" + PeopleAcrossOrganisationsTest.ADMIN_TOKEN, "forgeline.db.pool-size=5",
        AnalyticsTests.NO_ALERT_JOB, AnalyticsTests.NO_SNAPSHOT_JOB})
class PeopleAcrossOrganisationsTest {

    static final String ADMIN_TOKEN = "people-across-orgs-admin-0123456789";
    static final String WINDOW = "from=2026-06-01&to=2026-06-28";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired ApiTokens tokens;
    @Autowired Accounts accounts;
    @LocalServerPort int port;

    TestHttp admin;
    String run;
    String acme;
    String globex;

    @BeforeEach
    void organisations() {
        admin = new TestHttp(port, ADMIN_TOKEN);
        run = UUID.randomUUID().toString().substring(0, 6);
        acme = "acme-" + run;
        globex = "globex-" + run;
        ok(admin.post("/api/v1/orgs", "{\"slug\":\"" + acme + "\",\"name\":\"Acme\"}"), 201);
        ok(admin.post("/api/v1/orgs", "{\"slug\":\"" + globex + "\",\"name\":\"Globex\"}"), 201);
    }

    @Test
    void anotherOrganisationsAdminOnlyInvitesAndLearnsNothingAboutTheAccount() {
        long alice = member(acme, "alice", "developer");
        long globexAdmin = member(globex, "gadmin", "admin");
        TestHttp asGlobex = as(globexAdmin);
        long siteAdmin = accounts.idOf(AdminBootstrap.ADMIN).orElseThrow();
        long unknown = 9_000_000_000L + Math.abs(run.hashCode());

        HttpResponse<String> byId = asGlobex.post("/api/v1/orgs/" + globex + "/people", "{\"accountId\":" + alice + ",\"role\":\"developer\"}");
        HttpResponse<String> byName = asGlobex.post("/api/v1/orgs/" + globex + "/people", "{\"username\":\"alice-" + run + "\",\"role\":\"developer\"}");
        HttpResponse<String> admins = asGlobex.post("/api/v1/orgs/" + globex + "/people", "{\"accountId\":" + siteAdmin + ",\"role\":\"developer\"}");
        HttpResponse<String> nobodyById = asGlobex.post("/api/v1/orgs/" + globex + "/people", "{\"accountId\":" + unknown + ",\"role\":\"developer\"}");
        HttpResponse<String> nobodyByName = asGlobex.post("/api/v1/orgs/" + globex + "/people", "{\"username\":\"nobody-" + run + "\",\"role\":\"developer\"}");
        for (HttpResponse<String> answer : List.of(byId, byName, admins, nobodyById, nobodyByName)) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(answer.body()).as("an existing account and an unknown one answer alike").isEqualTo(nobodyById.body())
                    .doesNotContain("alice").doesNotContain(AdminBootstrap.ADMIN);
        }
        assertThat(ok(asGlobex.get("/api/v1/orgs/" + globex + "/people"), 200).findValuesAsString("username"))
                .as("an invitation adds nobody").containsExactly("gadmin-" + run);
        assertThat(asGlobex.post("/api/v1/orgs/" + globex + "/people/" + alice + "/identities", "{\"provider\":\"github\",\"login\":\"x-" + run + "\"}")
                .statusCode()).as("nor lets another organisation link identities to her").isEqualTo(404);
        assertThat(ok(admin.get("/api/v1/orgs/" + acme + "/people"), 200).findValuesAsString("username")).containsExactly("alice-" + run);

        TestHttp asAlice = as(alice);
        JsonNode pending = ok(asAlice.get("/api/v1/user/invitations"), 200);
        assertThat(pending).as("invited twice, by id and by name: one invitation").hasSize(1);
        assertThat(pending.get(0).get("organisation").asString()).isEqualTo(globex);
        assertThat(pending.get(0).get("role").asString()).isEqualTo("developer");
        assertThat(pending.get(0).get("invitedBy").asString()).isEqualTo("gadmin-" + run);
        long invitation = pending.get(0).get("id").asLong();
        TestHttp asGlobexAdmin = asGlobex;
        assertThat(asGlobexAdmin.post("/api/v1/user/invitations/" + invitation + "/accept", null).statusCode())
                .as("only the invited account answers its invitation").isEqualTo(404);
        assertThat(ok(as(member(acme, "bob", "developer")).get("/api/v1/user/invitations"), 200)).isEmpty();

        ok(asAlice.post("/api/v1/user/invitations/" + invitation + "/decline", null), 204);
        assertThat(ok(asAlice.get("/api/v1/user/invitations"), 200)).isEmpty();
        assertThat(asAlice.get("/api/v1/orgs/" + globex).statusCode()).as("declined: not a member").isEqualTo(404);
        assertThat(asAlice.post("/api/v1/user/invitations/" + invitation + "/accept", null).statusCode()).as("answered once").isEqualTo(404);

        ok(asGlobex.post("/api/v1/orgs/" + globex + "/people", "{\"accountId\":" + alice + ",\"role\":\"manager\"}"), 202);
        long again = ok(asAlice.get("/api/v1/user/invitations"), 200).get(0).get("id").asLong();
        JsonNode joined = ok(asAlice.post("/api/v1/user/invitations/" + again + "/accept", null), 200);
        assertThat(joined.get("slug").asString()).isEqualTo(globex);
        assertThat(joined.get("role").asString()).isEqualTo("manager");
        assertThat(ok(asGlobex.get("/api/v1/orgs/" + globex + "/people"), 200).findValuesAsString("username"))
                .containsExactlyInAnyOrder("gadmin-" + run, "alice-" + run);

        assertThat(audited(globex + "/" + alice)).containsExactly("invitation.created", "invitation.created", "invitation.declined",
                "invitation.created", "invitation.accepted");
        assertThat(audited(globex + "/?")).as("the site admin sees the tries at unknown accounts")
                .containsExactly("invitation.no-account", "invitation.no-account");
    }

    @Test
    void theInvitedAccountAcceptsOnTheDashboardAndJoins() {
        long dan = account("dan");
        TestHttp asGlobex = as(member(globex, "gadmin", "admin"));
        ok(asGlobex.post("/api/v1/orgs/" + globex + "/people", "{\"username\":\"dan-" + run + "\",\"role\":\"developer\"}"), 202);
        TestHttp asDan = as(dan);
        HttpResponse<String> page = asDan.get("/invitations");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Globex", "gadmin-" + run, "Accept", "Decline");
        long id = ok(asDan.get("/api/v1/user/invitations"), 200).get(0).get("id").asLong();

        assertThat(asGlobex.post("/invitations/" + id + "/accept", null).statusCode()).as("someone else's invitation").isEqualTo(404);
        HttpResponse<String> accepted = asDan.post("/invitations/" + id + "/accept", null);
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(accepted.headers().firstValue("Location").orElseThrow()).endsWith("/orgs/" + globex);
        assertThat(ok(asDan.get("/api/v1/orgs/" + globex), 200).get("roleTitle").asString()).isEqualTo("Developer");
        assertThat(asDan.get("/invitations").body()).contains("no pending invitation");
        assertThat(audited(globex + "/" + dan)).containsExactly("invitation.created", "invitation.accepted");
    }

    @Test
    void aSiteAdminStillAddsAccountsDirectly() {
        long carol = account("carol");
        JsonNode added = ok(admin.post("/api/v1/orgs/" + acme + "/people", "{\"username\":\"carol-" + run + "\",\"role\":\"developer\"}"), 200);
        assertThat(added.get("accountId").asLong()).isEqualTo(carol);
        assertThat(admin.post("/api/v1/orgs/" + acme + "/people", "{\"username\":\"nobody-" + run + "\",\"role\":\"developer\"}").statusCode())
                .isEqualTo(404);
        assertThat(ok(admin.post("/api/v1/orgs/" + acme + "/people", "{\"role\":\"developer\"}"), 400).get("detail").asString())
                .contains("accountId or username");
        assertThat(audited(acme + "/" + carol)).containsExactly("membership.added");
    }

    @Test
    void identityLinksCountOnlyInTheOrganisationThatMadeThem() {
        String login = "pusher-" + run;
        String secret = "secret-" + UUID.randomUUID();
        long connection = ok(admin.post("/api/v1/connections",
                "{\"provider\":\"github\",\"name\":\"acme-" + run + "\",\"secret\":\"" + secret + "\"}"), 201).get("id").asLong();
        ok(admin.post("/api/v1/orgs/" + acme + "/connections/" + connection, null), 204);
        var repo = new GithubDeliveries(port, connection, secret, json, 800_000_000L + Math.abs(run.hashCode()) % 100_000_000L);
        GithubDeliveries.sendAll(db, connection, List.of(repo),
                List.of(repo.push("main", List.of(new Commit("a".repeat(40), login, Instant.parse("2026-06-03T10:00:00Z"))))), repo);

        long alice = member(acme, "alice", "developer");
        long carol = member(acme, "carol", "developer");
        long acmeAdmin = member(acme, "aadmin", "admin");
        long globexAdmin = member(globex, "gadmin", "admin");
        TestHttp asGlobex = as(globexAdmin);
        TestHttp asAcme = as(acmeAdmin);
        ok(asGlobex.post("/api/v1/orgs/" + globex + "/people", "{\"accountId\":" + alice + ",\"role\":\"developer\"}"), 202);
        TestHttp asAlice = as(alice);
        ok(asAlice.post("/api/v1/user/invitations/" + ok(asAlice.get("/api/v1/user/invitations"), 200).get(0).get("id").asLong()
                + "/accept", null), 200);

        String link = "{\"provider\":\"github\",\"login\":\"" + login + "\"}";
        ok(asGlobex.post("/api/v1/orgs/" + globex + "/people/" + alice + "/identities", link), 201);
        ok(asGlobex.post("/api/v1/orgs/" + globex + "/people/" + alice + "/identities", "{\"email\":\"shared-" + run + "@example.com\"}"), 201);
        assertThat(identitiesOf(asGlobex, globex, alice)).containsExactlyInAnyOrder(login, "shared-" + run + "@example.com");
        assertThat(identitiesOf(asAcme, acme, alice)).as("acme's view of alice is acme's").isEmpty();
        assertThat(identitiesOf(asAlice, acme, alice)).as("also as she sees herself there").isEmpty();
        assertThat(commits(asAcme, "&person=alice-" + run)).as("globex's link does not count in acme's metrics").isZero();
        assertThat(commits(asAcme, "")).isEqualTo(1);

        ok(asAcme.post("/api/v1/orgs/" + acme + "/people/" + carol + "/identities", link), 201);
        ok(asAcme.post("/api/v1/orgs/" + acme + "/people/" + carol + "/identities", "{\"email\":\"shared-" + run + "@example.com\"}"), 201);
        assertThat(identitiesOf(asAcme, acme, carol)).as("each organisation links the login to its own person")
                .containsExactlyInAnyOrder(login, "shared-" + run + "@example.com");
        assertThat(commits(asAcme, "&person=carol-" + run)).isEqualTo(1);
        assertThat(commits(asAcme, "&person=alice-" + run)).isZero();
        assertThat(identitiesOf(asGlobex, globex, alice)).as("acme's link leaves globex's alone").contains(login);
        assertThat(asGlobex.post("/api/v1/orgs/" + globex + "/people/" + alice + "/identities", link).statusCode())
                .as("inside one organisation a login is still one person's").isEqualTo(409);
    }

    @Test
    void anOverLongLoginIsRefusedWith400AndLinksNothing() {
        long erin = member(acme, "erin", "developer");
        String tooLong = "l".repeat(201);
        assertThat(ok(admin.post("/api/v1/orgs/" + acme + "/people/" + erin + "/identities",
                "{\"provider\":\"github\",\"login\":\"" + tooLong + "\"}"), 400).get("detail").asString()).contains("login");
        assertThat(identitiesOf(admin, acme, erin)).isEmpty();
    }

    private int commits(TestHttp caller, String filter) {
        return ok(caller.get("/api/v1/orgs/" + acme + "/metrics/summary?" + WINDOW + filter), 200).get("commits").asInt();
    }

    private List<String> identitiesOf(TestHttp caller, String org, long account) {
        for (JsonNode person : ok(caller.get("/api/v1/orgs/" + org + "/people"), 200)) {
            if (person.get("accountId").asLong() == account) {
                return person.get("identities").valueStream()
                        .map(i -> i.path("login").isString() ? i.path("login").asString() : i.path("email").asString()).toList();
            }
        }
        throw new AssertionError(account + " is not a member of " + org);
    }

    private List<String> audited(String target) {
        return db.select(AUDIT_EVENT.ACTION).from(AUDIT_EVENT).where(AUDIT_EVENT.TARGET_ID.eq(target)).orderBy(AUDIT_EVENT.ID)
                .fetch(AUDIT_EVENT.ACTION);
    }

    private JsonNode ok(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer.body().isEmpty() ? null : json.readTree(answer.body());
    }

    private long account(String name) {
        return ok(admin.post("/api/v1/accounts", "{\"username\":\"" + name + "-" + run + "\"}"), 201).get("id").asLong();
    }

    /** A site admin adds accounts directly. */
    private long member(String org, String name, String role) {
        long account = account(name);
        ok(admin.post("/api/v1/orgs/" + org + "/people", "{\"accountId\":" + account + ",\"role\":\"" + role + "\"}"), 200);
        return account;
    }

    private TestHttp as(long account) {
        String token = Tokens.generate("flp_");
        tokens.create(account, "test", token, Set.of("read", "write"), Instant.now().plusSeconds(600));
        return new TestHttp(port, token);
    }
}
