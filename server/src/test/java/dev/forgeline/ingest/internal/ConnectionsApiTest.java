package dev.forgeline.ingest.internal;

import static dev.forgeline.schema.Tables.CONNECTION;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
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

/** Creating forge connections: only http and https forge addresses, every field bounded, a 400 naming the field. */
@ForgelineTest
@TestPropertySource(properties = {"forgeline.admin-token=" + ConnectionsApiTest.ADMIN_TOKEN, "forgeline.db.pool-size=5"})
class ConnectionsApiTest {

    static final String ADMIN_TOKEN = "connections-api-admin-0123456789";

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @LocalServerPort int port;

    TestHttp admin;
    String name;

    @BeforeEach
    void setUp() {
        admin = new TestHttp(port, ADMIN_TOKEN);
        name = "conn-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonNode refused(String body, String field) {
        int before = db.fetchCount(CONNECTION);
        HttpResponse<String> answer = admin.post("/api/v1/connections", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        JsonNode problem = json.readTree(answer.body());
        assertThat(problem.get("detail").asString()).as("the problem names the field").contains(field);
        assertThat(db.fetchCount(CONNECTION)).as("nothing stored").isEqualTo(before);
        return problem;
    }

    private String gitlab(String extra) {
        return "{\"provider\":\"gitlab\",\"name\":\"" + name + "\"" + extra + "}";
    }

    @Test
    void aBaseUrlOtherThanHttpOrHttpsAnswers400AndStoresNothing() {
        for (String url : new String[] {"file:///etc/passwd", "ftp://gitlab.example.com", "gopher://127.0.0.1:6379/_INFO",
                "jar:file:/tmp/x.jar!/", "gitlab.example.com", "https://", "http://user:pass@gitlab.example.com",
                "https://gitlab example.com"}) {
            refused(gitlab(",\"baseUrl\":\"" + url + "\""), "baseUrl");
        }
        assertThat(admin.post("/api/v1/connections", gitlab(",\"baseUrl\":\"https://gitlab.example.com/gitlab\"")).statusCode())
                .isEqualTo(201);
    }

    @Test
    void overLongBaseUrlApiTokenNameOrSecretAnswer400AndStoreNothing() {
        refused(gitlab(",\"baseUrl\":\"https://gitlab.example.com/" + "a".repeat(600) + "\""), "baseUrl");
        refused(gitlab(",\"apiToken\":\"" + "t".repeat(3000) + "\""), "apiToken");
        refused(gitlab(",\"apiToken\":\"glpat line\\nbreak\""), "apiToken");
        refused("{\"provider\":\"gitlab\",\"name\":\"" + "n".repeat(201) + "\"}", "name");
        // 200 characters but 600 bytes: would not fit the encrypted column.
        refused(gitlab(",\"secret\":\"" + "€".repeat(200) + "\""), "secret");
        refused("{\"provider\":\"" + "p".repeat(300) + "\",\"name\":\"" + name + "\"}", "provider");
    }

    @Test
    void fieldsAtTheirLimitsAreStored() {
        String url = "https://gitlab.example.com/" + "a".repeat(ConnectionsController.MAX_BASE_URL - 27);
        String token = "t".repeat(ConnectionsController.MAX_API_TOKEN);
        HttpResponse<String> created = admin.post("/api/v1/connections", "{\"provider\":\"gitlab\",\"name\":\"" + name + "x".repeat(200 - name.length())
                + "\",\"baseUrl\":\"" + url + "\",\"apiToken\":\"" + token + "\",\"secret\":\"" + "s".repeat(200) + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(db.select(CONNECTION.BASE_URL).from(CONNECTION).where(CONNECTION.ID.eq(json.readTree(created.body()).get("id").asLong()))
                .fetchOne(CONNECTION.BASE_URL)).hasSize(500);
    }
}
