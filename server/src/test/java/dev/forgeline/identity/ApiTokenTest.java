package dev.forgeline.identity;

import static dev.forgeline.schema.Tables.API_TOKEN;
import static dev.forgeline.schema.Tables.AUDIT_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;

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
@TestPropertySource(properties = "forgeline.admin-token=" + ApiTokenTest.ADMIN_TOKEN)
class ApiTokenTest {

    static final String ADMIN_TOKEN = "api-token-test-admin-0123456789";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @LocalServerPort int port;

    TestHttp admin;

    @BeforeEach
    void setUp() {
        admin = new TestHttp(port, ADMIN_TOKEN);
    }

    private JsonNode create(TestHttp as, String body, int expectedStatus) {
        var answer = as.post("/api/v1/user/tokens", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expectedStatus);
        return json.readTree(answer.body());
    }

    @Test
    void createdTokenIsShownOnceStoredHashedAndWorksWithinItsScopes() {
        JsonNode created = create(admin, "{\"name\":\"ci reader\",\"scopes\":[\"read\"],\"expiresInDays\":30}", 201);
        String token = created.get("token").asString();
        assertThat(token).startsWith("flp_").hasSize(44);

        var rows = db.selectFrom(API_TOKEN).where(API_TOKEN.ID.eq(created.get("id").asLong())).fetchSingle();
        assertThat(rows.getTokenHash()).hasSize(64).doesNotContain(token);
        assertThat(rows.intoList()).noneMatch(value -> value != null && value.toString().contains(token));

        TestHttp reader = new TestHttp(port, token);
        var listed = reader.get("/api/v1/user/tokens");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(token);
        assertThat(reader.post("/api/v1/user/tokens", "{\"name\":\"x\",\"scopes\":[\"read\"]}").statusCode())
                .as("a read token cannot change anything").isEqualTo(403);
        assertThat(reader.get("/api/v1/admin/jobs").statusCode()).as("nor read admin data").isEqualTo(403);
    }

    @Test
    void revokedTokenStopsWorkingAtOnceAndTheRevocationIsAudited() {
        JsonNode created = create(admin, "{\"name\":\"short-lived\",\"scopes\":[\"read\",\"write\"]}", 201);
        long id = created.get("id").asLong();
        TestHttp holder = new TestHttp(port, created.get("token").asString());
        assertThat(holder.get("/api/v1/user/tokens").statusCode()).isEqualTo(200);

        var revoked = holder.send("DELETE", "/api/v1/user/tokens/" + id);
        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(holder.get("/api/v1/user/tokens").statusCode()).isEqualTo(401);
        assertThat(admin.send("DELETE", "/api/v1/user/tokens/" + id).statusCode()).as("already revoked").isEqualTo(404);

        var actions = db.select(AUDIT_EVENT.ACTION, AUDIT_EVENT.ACTOR).from(AUDIT_EVENT)
                .where(AUDIT_EVENT.TARGET_TYPE.eq("token")).and(AUDIT_EVENT.TARGET_ID.eq(Long.toString(id)))
                .orderBy(AUDIT_EVENT.ID).fetch();
        assertThat(actions.map(r -> r.value1() + " by " + r.value2()))
                .containsExactly("token.created by admin", "token.revoked by admin");
        JsonNode audit = json.readTree(admin.get("/api/v1/admin/audit?action=token.revoked").body());
        assertThat(audit.get("items").findValuesAsString("targetId")).contains(Long.toString(id));
    }

    @Test
    void expiredTokenIsRefused() {
        JsonNode created = create(admin, "{\"name\":\"expiring\",\"scopes\":[\"read\"],\"expiresInDays\":1}", 201);
        db.update(API_TOKEN).set(API_TOKEN.EXPIRES_AT, Instant.now().minusSeconds(1).atOffset(ZoneOffset.UTC))
                .where(API_TOKEN.ID.eq(created.get("id").asLong())).execute();
        assertThat(new TestHttp(port, created.get("token").asString()).get("/api/v1/user/tokens").statusCode()).isEqualTo(401);
    }

    @Test
    void badRequestsAreRefusedWithAReasonAndCreateNothing() {
        int before = db.fetchCount(API_TOKEN);
        assertThat(create(admin, "{\"name\":\"\",\"scopes\":[\"read\"]}", 400).get("detail").asString()).contains("name");
        assertThat(create(admin, "{\"name\":\"x\",\"scopes\":[\"root\"]}", 400).get("detail").asString()).contains("scopes");
        assertThat(create(admin, "{\"name\":\"x\",\"scopes\":[\"read\"],\"expiresInDays\":0}", 400).get("detail").asString())
                .contains("expiresInDays");
        assertThat(admin.post("/api/v1/user/tokens", "{not json").statusCode()).isEqualTo(400);
        assertThat(db.fetchCount(API_TOKEN)).isEqualTo(before);
    }

    @Test
    void aTokenCannotMintOneWithMoreRights() {
        JsonNode writer = create(admin, "{\"name\":\"writer\",\"scopes\":[\"read\",\"write\"]}", 201);
        TestHttp holder = new TestHttp(port, writer.get("token").asString());
        assertThat(create(holder, "{\"name\":\"escalate\",\"scopes\":[\"read\",\"write\",\"admin\"]}", 403).get("detail").asString())
                .contains("admin scope");
    }
}
