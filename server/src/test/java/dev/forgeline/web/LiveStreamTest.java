package dev.forgeline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.analytics.GithubDeliveries;
import dev.forgeline.compliance.StudentCourse;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.Eventually;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.LiveStream;
import dev.forgeline.test.LiveStream.Event;
import dev.forgeline.test.Signing;
import dev.forgeline.test.TestDatabase;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live streams over real HTTP. A database of its own: the events these tests wait for come from deliveries
 * processed and alerts evaluated by jobs, which must run in this server, not in another test class's.
 */
@ForgelineTest
@TestPropertySource(properties = {"forgeline.admin-token=" + LiveStreamTest.ADMIN_TOKEN, TestDatabase.OWN_DATABASE + "=live"})
class LiveStreamTest {

    static final String ADMIN_TOKEN = "live-stream-test-admin-0123456789";

    @Autowired JsonMapper json;
    @Autowired DSLContext db;
    @Autowired Organisations organisations;
    @LocalServerPort int port;

    long connection;
    String secret;

    @BeforeEach
    void connect() {
        var created = new TestHttp(port, ADMIN_TOKEN).post("/api/v1/connections", "{\"provider\":\"github\",\"name\":\"live\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = json.readTree(created.body());
        connection = body.get("id").asLong();
        secret = body.get("secret").asString();
    }

    private LiveStream open(String page, String token, String lastEventId) {
        LiveStream stream = LiveStream.open(port, page, token, lastEventId);
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("text/event-stream");
        return stream;
    }
    private long deliver() {
        byte[] body = Fixtures.read("github/push/payload.json");
        var answer = TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/github/" + connection))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + Signing.hmacSha256(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(answer.statusCode()).isEqualTo(202);
        return json.readTree(answer.body()).get("eventId").asLong();
    }

    @Test
    void aReconnectingStreamGetsExactlyTheDeliveriesItMissedAfterItsLastEventId() throws Exception {
        String lastSeen;
        try (LiveStream first = open("connections", ADMIN_TOKEN, null)) {
            first.next("ready");
            long eventId = deliver();
            Event seen = first.next("delivery");
            assertThat(json.readTree(seen.data()).get("eventId").asLong()).isEqualTo(eventId);
            lastSeen = seen.id();
        }
        List<Long> missed = new ArrayList<>(List.of(deliver(), deliver()));

        try (LiveStream again = open("connections", ADMIN_TOKEN, lastSeen)) {
            List<Long> replayed = new ArrayList<>();
            Event one = again.next("delivery");
            Event two = again.next("delivery");
            replayed.add(json.readTree(one.data()).get("eventId").asLong());
            replayed.add(json.readTree(two.data()).get("eventId").asLong());
            assertThat(replayed).isEqualTo(missed);
            assertThat(Long.parseLong(two.id())).isGreaterThan(Long.parseLong(one.id())).isGreaterThan(Long.parseLong(lastSeen));

            long live = deliver();
            assertThat(json.readTree(again.next("delivery").data()).get("eventId").asLong()).as("then live again").isEqualTo(live);
        }
    }

    @Test
    void anUnknownPageHasNoStreamAndDeliveriesAreForAdminsOnly() {
        var unknown = TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/live/nope"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + ADMIN_TOKEN).build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        var created = new TestHttp(port, ADMIN_TOKEN).post("/api/v1/user/tokens", "{\"name\":\"reader\",\"scopes\":[\"read\"]}");
        String reader = json.readTree(created.body()).get("token").asString();
        var denied = TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/live/connections"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + reader).build());
        assertThat(denied.statusCode()).as("a token without the admin scope").isEqualTo(403);
    }

    /** An organisation with a GitHub connection of its own, fed through the real webhook endpoint. */
    private record Tenant(Organisation organisation, GithubDeliveries repository, long connection) {
    }

    private Tenant tenant(String name, long forgeId) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tenantSecret = "live-secret-" + run + run;
        var created = new TestHttp(port, ADMIN_TOKEN).post("/api/v1/connections",
                "{\"provider\":\"github\",\"name\":\"" + name + "\",\"secret\":\"" + tenantSecret + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json.readTree(created.body()).get("id").asLong();
        Organisation organisation = organisations.create(name + "-" + run, name, Organisation.Kind.TEAM);
        organisations.assignConnection(organisation.id(), id);
        return new Tenant(organisation, new GithubDeliveries(port, id, tenantSecret, json, forgeId + Math.abs(run.hashCode() % 1_000_000)), id);
    }

    /** A pull request opened two days ago that nobody reviews: processed, it is new activity and, evaluated, an alert. */
    private void waitingPullRequest(Tenant tenant) {
        Instant opened = Instant.now().minus(Duration.ofDays(2));
        GithubDeliveries.sendInTurn(db, tenant.connection(), List.of(tenant.repository().pullRequest("opened", 1, "octo", "open",
                opened, opened, null, "feature", "octo", 5, 1)), tenant.repository());
    }

    private void evaluateAlerts() {
        TestHttp admin = new TestHttp(port, ADMIN_TOKEN);
        Eventually.await("the alert evaluation asked to run", Duration.ofSeconds(60),
                () -> admin.post("/api/v1/admin/jobs/analytics-alerts/run", null).statusCode() == 202);
    }

    private Long organisationOf(Event event) {
        JsonNode id = json.readTree(event.data()).get("organisationId");
        return id == null || id.isNull() ? null : id.asLong();
    }

    private Event awaitEvent(LiveStream stream, String topic, Organisation organisation) throws InterruptedException {
        Event seen = stream.next(e -> e.name().equals(topic) && Long.valueOf(organisation.id()).equals(organisationOf(e)), Duration.ofSeconds(60));
        assertThat(seen).as(topic + " of " + organisation.slug()).isNotNull();
        return seen;
    }

    private List<Event> organisationEvents(LiveStream stream) throws InterruptedException {
        return new ArrayList<>(stream.during(Duration.ofSeconds(3)).stream()
                .filter(e -> e.name().equals("metrics") || e.name().equals("alert")).toList());
    }

    @Test
    void aStreamCarriesOnlyTheActivityAndAlertsOfOrganisationsItsSubscriberMayRead() throws Exception {
        Tenant a = tenant("live-a", 810_000_000L);
        Tenant b = tenant("live-b", 820_000_000L);
        String nobody = StudentCourse.token(db, organisations.createAccount("nobody-" + a.organisation().slug(), "Nobody", null));
        long managerAccount = organisations.createAccount("manager-" + a.organisation().slug(), "Manager of A", null);
        organisations.addMember(a.organisation().id(), managerAccount, OrgRole.MANAGER);
        String managerOfA = StudentCourse.token(db, managerAccount);

        String before;
        try (LiveStream admin = open("overview", ADMIN_TOKEN, null);
             LiveStream outsider = open("overview", nobody, null);
             LiveStream member = open("overview", managerOfA, null)) {
            admin.next("ready");
            outsider.next("ready");
            member.next("ready");

            // B's activity and B's alert: the site admin sees both, as B's pages would show them to it.
            waitingPullRequest(b);
            before = Long.toString(Long.parseLong(awaitEvent(admin, "metrics", b.organisation()).id()) - 1);
            evaluateAlerts();
            awaitEvent(admin, "alert", b.organisation());

            // Then A's: what A's member must see.
            waitingPullRequest(a);
            awaitEvent(admin, "metrics", a.organisation());
            evaluateAlerts();
            awaitEvent(admin, "alert", a.organisation());

            assertThat(organisationEvents(outsider)).as("an account in no organisation").isEmpty();
            List<Event> seen = organisationEvents(member);
            assertThat(seen).extracting(this::organisationOf).as("A's member").containsOnly(a.organisation().id());
            assertThat(seen).extracting(Event::name).contains("metrics", "alert");
        }

        // Reconnecting with an id from before B's events replays only what the subscriber may read.
        try (LiveStream outsider = open("overview", nobody, before);
             LiveStream member = open("overview", managerOfA, before)) {
            List<Event> replayed = organisationEvents(member);
            assertThat(replayed).extracting(this::organisationOf).as("A's member, replayed").containsOnly(a.organisation().id());
            assertThat(replayed).extracting(Event::name).contains("metrics", "alert");
            assertThat(organisationEvents(outsider)).as("an account in no organisation, replayed").isEmpty();
        }
    }

    @Test
    void aSubscriberWhoJoinsAnOrganisationHearsOfItWithoutReconnecting() throws Exception {
        Tenant a = tenant("live-join", 840_000_000L);
        long account = organisations.createAccount("joiner-" + a.organisation().slug(), "Joiner", null);
        String joiner = StudentCourse.token(db, account);
        try (LiveStream stream = open("overview", joiner, null)) {
            stream.next("ready");
            organisations.addMember(a.organisation().id(), account, OrgRole.DEVELOPER);
            waitingPullRequest(a);
            awaitEvent(stream, "metrics", a.organisation());
        }
    }
}
