package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.AUDIT_EVENT;
import static dev.forgeline.schema.Tables.REPOSITORY;
import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ForgelineTest
@TestPropertySource(properties = {"forgeline.admin-token=" + OrganisationApiTest.ADMIN_TOKEN, "forgeline.db.pool-size=5"})
class OrganisationApiTest {

    static final String ADMIN_TOKEN = "organisation-api-admin-0123456789";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired ApiTokens tokens;
    @LocalServerPort int port;

    TestHttp admin;
    String run;

    @BeforeEach
    void setUp() {
        admin = new TestHttp(port, ADMIN_TOKEN);
        run = UUID.randomUUID().toString().substring(0, 6);
    }

    private JsonNode ok(java.net.http.HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer.body().isEmpty() ? null : json.readTree(answer.body());
    }

    private long account(String name) {
        return ok(admin.post("/api/v1/accounts", "{\"username\":\"" + name + "-" + run + "\"}"), 201).get("id").asLong();
    }

    private TestHttp as(long account) {
        String token = Tokens.generate("flp_");
        tokens.create(account, "test", token, Set.of("read", "write"), Instant.now().plusSeconds(600));
        return new TestHttp(port, token);
    }

    private long connectionWithRepository(String org, String repository) {
        long connection = ok(admin.post("/api/v1/connections", "{\"provider\":\"gitlab\",\"name\":\"" + org + "\"}"), 201).get("id").asLong();
        ok(admin.post("/api/v1/orgs/" + org + "/connections/" + connection, null), 204);
        db.insertInto(REPOSITORY).set(REPOSITORY.CONNECTION_ID, connection).set(REPOSITORY.PROVIDER, "gitlab")
                .set(REPOSITORY.FORGE_ID, repository).set(REPOSITORY.FULL_NAME, repository)
                .set(REPOSITORY.FIRST_SEEN_AT, OffsetDateTime.now(ZoneOffset.UTC)).execute();
        db.insertInto(WEBHOOK_EVENT).set(WEBHOOK_EVENT.CONNECTION_ID, connection).set(WEBHOOK_EVENT.PROVIDER, "gitlab")
                .set(WEBHOOK_EVENT.EVENT_TYPE, "Push Hook").set(WEBHOOK_EVENT.DELIVERY_ID, repository)
                .set(WEBHOOK_EVENT.RECEIVED_AT, OffsetDateTime.now(ZoneOffset.UTC)).set(WEBHOOK_EVENT.STATUS, "ignored")
                .set(WEBHOOK_EVENT.HEADERS, "{}").set(WEBHOOK_EVENT.BODY, "{}").execute();
        return connection;
    }

    @Test
    void membersSeeOnlyTheRepositoriesAndEventsOfTheirOwnOrganisation() {
        String acme = "acme-" + run;
        String globex = "globex-" + run;
        ok(admin.post("/api/v1/orgs", "{\"slug\":\"" + acme + "\",\"name\":\"Acme\",\"kind\":\"team\"}"), 201);
        ok(admin.post("/api/v1/orgs", "{\"slug\":\"" + globex + "\",\"name\":\"Globex\",\"kind\":\"course\"}"), 201);
        connectionWithRepository(acme, "acme/app-" + run);
        connectionWithRepository(globex, "globex/app-" + run);
        long alice = account("alice");
        long bob = account("bob");
        ok(admin.post("/api/v1/orgs/" + acme + "/people", "{\"accountId\":" + alice + ",\"role\":\"admin\"}"), 200);
        ok(admin.post("/api/v1/orgs/" + globex + "/people", "{\"accountId\":" + bob + ",\"role\":\"student\"}"), 200);

        TestHttp asAlice = as(alice);
        TestHttp asBob = as(bob);
        assertThat(ok(asAlice.get("/api/v1/repositories"), 200).findValuesAsString("fullName")).containsExactly("acme/app-" + run);
        assertThat(ok(asBob.get("/api/v1/repositories"), 200).findValuesAsString("fullName")).containsExactly("globex/app-" + run);
        assertThat(ok(asAlice.get("/api/v1/events"), 200).get("items").findValuesAsString("deliveryId")).containsExactly("acme/app-" + run);
        assertThat(ok(asBob.get("/api/v1/events"), 200).get("items")).as("raw deliveries are for admins").isEmpty();
        assertThat(ok(asAlice.get("/api/v1/orgs"), 200).findValuesAsString("slug")).containsExactly(acme);
        JsonNode bobsOrg = ok(asBob.get("/api/v1/orgs/" + globex), 200);
        assertThat(bobsOrg.get("roleTitle").asString()).as("a course calls developers students").isEqualTo("Student");
        assertThat(asBob.get("/api/v1/orgs/" + acme).statusCode()).isEqualTo(404);
        assertThat(asBob.get("/api/v1/orgs/no-such-org").statusCode()).isEqualTo(404);
    }

    @Test
    void adminsRunTeamsPeopleAndIdentitiesButOnlyOwnersTouchOwners() {
        String org = "initech-" + run;
        ok(admin.post("/api/v1/orgs", "{\"slug\":\"" + org + "\",\"name\":\"Initech\"}"), 201);
        long owner = account("owner");
        long lead = account("lead");
        long dev = account("dev");
        ok(admin.post("/api/v1/orgs/" + org + "/people", "{\"accountId\":" + owner + ",\"role\":\"owner\"}"), 200);
        TestHttp asOwner = as(owner);
        ok(asOwner.post("/api/v1/orgs/" + org + "/people", "{\"accountId\":" + lead + ",\"role\":\"admin\"}"), 202);
        TestHttp asLead = as(lead);
        acceptTheOnlyInvitation(asLead, org);
        ok(asLead.post("/api/v1/orgs/" + org + "/people", "{\"username\":\"dev-" + run + "\",\"role\":\"developer\"}"), 202);
        acceptTheOnlyInvitation(as(dev), org);
        assertThat(ok(asLead.post("/api/v1/orgs/" + org + "/people", "{\"accountId\":" + dev + ",\"role\":\"owner\"}"), 403)
                .get("detail").asString()).contains("only an owner");
        ok(asLead.post("/api/v1/orgs/" + org + "/people", "{\"accountId\":" + dev + ",\"role\":\"manager\"}"), 200);

        ok(asLead.post("/api/v1/orgs/" + org + "/teams", "{\"slug\":\"payments\",\"name\":\"Payments\"}"), 201);
        assertThat(asLead.post("/api/v1/orgs/" + org + "/teams", "{\"slug\":\"payments\",\"name\":\"Again\"}").statusCode()).isEqualTo(409);
        ok(asLead.post("/api/v1/orgs/" + org + "/teams/payments/members", "{\"accountId\":" + dev + "}"), 204);
        assertThat(asLead.post("/api/v1/orgs/" + org + "/teams/payments/members", "{\"accountId\":" + account("stranger") + "}")
                .statusCode()).as("only members join teams").isEqualTo(404);

        JsonNode linked = ok(asLead.post("/api/v1/orgs/" + org + "/people/" + dev + "/identities",
                "{\"provider\":\"github\",\"login\":\"dev-" + run + "\"}"), 201);
        assertThat(linked.get("login").asString()).isEqualTo("dev-" + run);
        ok(asLead.post("/api/v1/orgs/" + org + "/people/" + dev + "/identities", "{\"email\":\"Dev-" + run + "@example.com\"}"), 201);
        assertThat(asLead.post("/api/v1/orgs/" + org + "/people/" + dev + "/identities", "{\"provider\":\"github\",\"login\":\"dev-" + run + "\"}")
                .statusCode()).isEqualTo(409);

        JsonNode people = ok(as(dev).get("/api/v1/orgs/" + org + "/people"), 200);
        assertThat(people.findValuesAsString("username")).as("a manager sees their team, here only themselves").containsExactly("dev-" + run);
        assertThat(people.get(0).get("identities").findValuesAsString("email")).filteredOn(e -> !e.isEmpty()).containsExactly("dev-" + run + "@example.com");
        assertThat(ok(asLead.get("/api/v1/orgs/" + org + "/people"), 200)).hasSize(3);

        var audited = db.select(AUDIT_EVENT.ACTION).from(AUDIT_EVENT).where(AUDIT_EVENT.TARGET_ID.eq(org + "/" + dev))
                .orderBy(AUDIT_EVENT.ID).fetch(AUDIT_EVENT.ACTION);
        assertThat(audited).containsExactly("invitation.created", "invitation.accepted", "membership.role-changed");
    }

    private void acceptTheOnlyInvitation(TestHttp invitee, String org) {
        JsonNode pending = ok(invitee.get("/api/v1/user/invitations"), 200);
        assertThat(pending.findValuesAsString("organisation")).containsExactly(org);
        ok(invitee.post("/api/v1/user/invitations/" + pending.get(0).get("id").asLong() + "/accept", null), 200);
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThat(ok(admin.post("/api/v1/orgs", "{\"slug\":\"Not A Slug\",\"name\":\"x\"}"), 400).get("detail").asString()).contains("slug");
        assertThat(ok(admin.post("/api/v1/orgs", "{\"slug\":\"ok-" + run + "\",\"name\":\"x\",\"kind\":\"club\"}"), 400)
                .get("detail").asString()).contains("kind");
        assertThat(ok(admin.post("/api/v1/accounts", "{\"username\":\"pw-" + run + "\",\"password\":\"short\"}"), 400)
                .get("detail").asString()).contains("password");
    }
}
