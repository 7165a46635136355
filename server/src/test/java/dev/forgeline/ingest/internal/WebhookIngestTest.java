package dev.forgeline.ingest.internal;

import static dev.forgeline.schema.Tables.DEPLOYMENT;
import static dev.forgeline.schema.Tables.DEPLOYMENT_STATUS;
import static dev.forgeline.schema.Tables.FORGE_NAMESPACE;
import static dev.forgeline.schema.Tables.FORGE_USER;
import static dev.forgeline.schema.Tables.GIT_COMMIT;
import static dev.forgeline.schema.Tables.INGEST_REPOSITORY_GUARD;
import static dev.forgeline.schema.Tables.ISSUE;
import static dev.forgeline.schema.Tables.PIPELINE;
import static dev.forgeline.schema.Tables.PULL_REQUEST;
import static dev.forgeline.schema.Tables.PULL_REQUEST_EVENT;
import static dev.forgeline.schema.Tables.PUSH;
import static dev.forgeline.schema.Tables.REPOSITORY;
import static dev.forgeline.schema.Tables.REVIEW;
import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.jobs.Jobs;
import dev.forgeline.test.Eventually;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@ForgelineTest
@TestPropertySource(properties = "forgeline.admin-token=" + WebhookIngestTest.ADMIN_TOKEN)
class WebhookIngestTest {

    static final String ADMIN_TOKEN = "webhook-ingest-admin-0123456789";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Each test gets repositories of its own: forge ids no fixture uses. */
    private static final AtomicLong REPOSITORY_IDS = new AtomicLong(900_000_000L + (System.nanoTime() % 1_000_000) * 100);

    @Autowired DSLContext db;
    @Autowired JsonMapper json;
    @Autowired StoredEvents events;
    @Autowired Jobs jobs;
    @Autowired TransactionTemplate transaction;
    @LocalServerPort int port;

    TestHttp admin;
    long github;
    long gitlab;
    long gitea;
    String secret;

    @BeforeEach
    void connect() {
        admin = new TestHttp(port, ADMIN_TOKEN);
        secret = "secret-" + UUID.randomUUID();
        github = connection("github");
        gitlab = connection("gitlab");
        gitea = connection("gitea");
    }

    private long connection(String provider) {
        var answer = admin.post("/api/v1/connections",
                "{\"provider\":\"" + provider + "\",\"name\":\"test\",\"secret\":\"" + secret + "\"}");
        assertThat(answer.statusCode()).isEqualTo(201);
        JsonNode created = json.readTree(answer.body());
        assertThat(created.get("webhookUrl").asString()).isEqualTo("/api/v1/webhooks/" + provider + "/" + created.get("id").asLong());
        return created.get("id").asLong();
    }

    // Sending ----------------------------------------------------------------------------------------------

    private HttpRequest.Builder request(String provider, long connection) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/" + provider + "/" + connection))
                .timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> github(String event, byte[] body, String delivery) {
        return TestHttp.send(request("github", github).header("Content-Type", "application/json")
                .header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", "sha256=" + Provider.hmacSha256(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<String> gitlab(String event, byte[] body) {
        return TestHttp.send(request("gitlab", gitlab).header("Content-Type", "application/json")
                .header("X-Gitlab-Event", event).header("X-Gitlab-Token", secret)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<String> gitea(String event, byte[] body) {
        return TestHttp.send(request("gitea", gitea).header("Content-Type", "application/json")
                .header("X-Gitea-Event", event).header("X-Gitea-Delivery", UUID.randomUUID().toString())
                .header("X-Gitea-Signature", Provider.hmacSha256(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Sends and waits until the event is processed; returns its id. */
    long processed(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode accepted = json.readTree(answer.body());
        assertThat(accepted.get("status").asString()).isEqualTo("received");
        assertThat(accepted.get("duplicate").asBoolean()).isFalse();
        long id = accepted.get("eventId").asLong();
        Eventually.await("event " + id + " processed", DEADLINE, () -> {
            String status = db.select(WEBHOOK_EVENT.STATUS).from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.ID.eq(id)).fetchSingle(WEBHOOK_EVENT.STATUS);
            if (status.equals("failed")) {
                throw new AssertionError("event " + id + " failed: " + db.select(WEBHOOK_EVENT.ERROR).from(WEBHOOK_EVENT)
                        .where(WEBHOOK_EVENT.ID.eq(id)).fetchSingle(WEBHOOK_EVENT.ERROR));
            }
            return status.equals("processed");
        });
        return id;
    }

    /** A fixture with its repository (or GitLab project) moved to a fresh forge id, so tests do not share rows. */
    ObjectNode fixture(String relative, long repositoryId) {
        ObjectNode payload = (ObjectNode) json.readTree(Fixtures.read(relative));
        if (payload.has("repository") && payload.get("repository").has("id")) {
            ((ObjectNode) payload.get("repository")).put("id", repositoryId);
        }
        if (payload.has("project") && payload.get("project").has("id")) {
            ((ObjectNode) payload.get("project")).put("id", repositoryId);
        }
        return payload;
    }

    byte[] bytes(JsonNode node) {
        return json.writeValueAsBytes(node);
    }

    long repository(String provider, long forgeId) {
        return db.select(REPOSITORY.ID).from(REPOSITORY)
                .where(REPOSITORY.PROVIDER.eq(provider)).and(REPOSITORY.FORGE_ID.eq(Long.toString(forgeId))).fetchSingle(REPOSITORY.ID);
    }

    /** A GitHub pull request payload merged: the recorded examples have none, so build one from "closed". */
    ObjectNode merged(long repositoryId) {
        ObjectNode payload = fixture("github/pull_request/closed.payload.json", repositoryId);
        ObjectNode pr = (ObjectNode) payload.get("pull_request");
        pr.put("merged", true);
        pr.put("merged_at", pr.get("closed_at").asString());
        pr.put("merge_commit_sha", "0123456789abcdef0123456789abcdef01234567");
        return payload;
    }

    // Behaviour --------------------------------------------------------------------------------------------

    @Test
    void pushStoresItsCommitsAndThePush() {
        long forgeId = REPOSITORY_IDS.incrementAndGet();
        ObjectNode payload = fixture("github/push/with-new-branch.payload.json", forgeId);
        ArrayNodeBuilder.commit(payload, json, "8c9d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d", "Add the readme", "2019-05-15T15:20:41Z");
        processed(github("push", bytes(payload), UUID.randomUUID().toString()));

        long repo = repository("github", forgeId);
        var commit = db.selectFrom(GIT_COMMIT).where(GIT_COMMIT.REPOSITORY_ID.eq(repo)).fetchSingle();
        assertThat(commit.getSha()).isEqualTo("8c9d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d");
        assertThat(commit.getMessage()).isEqualTo("Add the readme");
        assertThat(commit.getAuthoredAt().toInstant()).hasToString("2019-05-15T15:20:41Z");
        var push = db.selectFrom(PUSH).where(PUSH.REPOSITORY_ID.eq(repo)).fetchSingle();
        assertThat(push.getRef()).isEqualTo(payload.get("ref").asString());
        assertThat(push.getCommitCount()).isEqualTo(1);
    }

    @Test
    void forgeUsersAndTheRepositoryOwnerBecomeRowsOfTheirOwn() {
        long githubRepo = REPOSITORY_IDS.incrementAndGet();
        long gitlabRepo = REPOSITORY_IDS.incrementAndGet();
        byte[] opened = bytes(fixture("github/pull_request/opened.payload.json", githubRepo));
        processed(github("pull_request", opened, UUID.randomUUID().toString()));
        processed(github("pull_request", opened, UUID.randomUUID().toString())); // again: nothing doubles
        ObjectNode mergeRequest = fixture("gitlab/merge_request.json", gitlabRepo);
        ((ObjectNode) mergeRequest.get("project")).put("path_with_namespace", "course-" + gitlabRepo + "/team-a");
        // A login no other test uses: what a forge user row holds is whatever payloads named it first.
        String author = "author-" + gitlabRepo;
        ((ObjectNode) mergeRequest.get("user")).put("username", author).put("email", author + "@example.com");
        processed(gitlab("Merge Request Hook", bytes(mergeRequest)));

        var codertocat = db.selectFrom(FORGE_USER).where(FORGE_USER.PROVIDER.eq("github")).and(FORGE_USER.LOGIN.eq("Codertocat")).fetchSingle();
        assertThat(codertocat.getForgeId()).isEqualTo("21031067");
        assertThat(db.fetchExists(FORGE_USER, FORGE_USER.PROVIDER.eq("github").and(FORGE_USER.LOGIN.eq("octocat"))))
                .as("a requested reviewer is a forge user too").isTrue();
        var gitlabAuthor = db.selectFrom(FORGE_USER).where(FORGE_USER.PROVIDER.eq("gitlab")).and(FORGE_USER.LOGIN.eq(author)).fetchSingle();
        assertThat(gitlabAuthor.getName()).isEqualTo("User1");
        assertThat(gitlabAuthor.getEmail()).isEqualTo(author + "@example.com");

        var owner = db.selectFrom(FORGE_NAMESPACE).where(FORGE_NAMESPACE.ID.eq(
                db.select(REPOSITORY.NAMESPACE_ID).from(REPOSITORY).where(REPOSITORY.ID.eq(repository("github", githubRepo))))).fetchSingle();
        assertThat(owner.getPath()).isEqualTo("Codertocat");
        assertThat(owner.getKind()).isEqualTo("user");
        var group = db.selectFrom(FORGE_NAMESPACE).where(FORGE_NAMESPACE.ID.eq(
                db.select(REPOSITORY.NAMESPACE_ID).from(REPOSITORY).where(REPOSITORY.ID.eq(repository("gitlab", gitlabRepo))))).fetchSingle();
        assertThat(group.getPath()).isEqualTo("course-" + gitlabRepo);

        JsonNode listed = json.readTree(admin.get("/api/v1/admin/forge-users?provider=gitlab&q=" + author).body());
        assertThat(listed.findValuesAsString("login")).containsExactly(author);
        JsonNode namespaces = json.readTree(admin.get("/api/v1/admin/namespaces?provider=gitlab").body());
        assertThat(namespaces.findValuesAsString("path")).contains("course-" + gitlabRepo);
    }

    @Test
    void mergedPullRequestHasEveryTransitionWithItsTime() {
        long forgeId = REPOSITORY_IDS.incrementAndGet();
        processed(github("pull_request", bytes(fixture("github/pull_request/opened.payload.json", forgeId)), UUID.randomUUID().toString()));
        processed(github("pull_request", bytes(merged(forgeId)), UUID.randomUUID().toString()));

        var pr = db.selectFrom(PULL_REQUEST).where(PULL_REQUEST.REPOSITORY_ID.eq(repository("github", forgeId))).fetchSingle();
        assertThat(pr.getState()).isEqualTo("merged");
        assertThat(pr.getNumber()).isEqualTo(2L);
        assertThat(pr.getAuthor()).isEqualTo("Codertocat");
        assertThat(pr.getMergedAt()).isNotNull();
        assertThat(transitions(pr.getId())).containsExactly("opened@2019-05-15T15:20:33Z", "closed@2019-05-15T15:21:18Z",
                "merged@2019-05-15T15:21:18Z");
    }

    @Test
    void closedBeforeOpenedConvergesToTheSameRows() {
        long inOrder = REPOSITORY_IDS.incrementAndGet();
        long reversed = REPOSITORY_IDS.incrementAndGet();
        processed(github("pull_request", bytes(fixture("github/pull_request/opened.payload.json", inOrder)), UUID.randomUUID().toString()));
        processed(github("pull_request", bytes(merged(inOrder)), UUID.randomUUID().toString()));
        processed(github("pull_request", bytes(merged(reversed)), UUID.randomUUID().toString()));
        processed(github("pull_request", bytes(fixture("github/pull_request/opened.payload.json", reversed)), UUID.randomUUID().toString()));

        var a = db.selectFrom(PULL_REQUEST).where(PULL_REQUEST.REPOSITORY_ID.eq(repository("github", inOrder))).fetchSingle();
        var b = db.selectFrom(PULL_REQUEST).where(PULL_REQUEST.REPOSITORY_ID.eq(repository("github", reversed))).fetchSingle();
        List<Object> left = Arrays.asList(a.intoArray()).subList(2, a.size());
        List<Object> right = Arrays.asList(b.intoArray()).subList(2, b.size());
        assertThat(right).isEqualTo(left);
        assertThat(transitions(b.getId())).isEqualTo(transitions(a.getId()));
    }

    @Test
    void duplicateDeliveryChangesNothing() {
        long forgeId = REPOSITORY_IDS.incrementAndGet();
        byte[] body = bytes(fixture("github/pull_request/opened.payload.json", forgeId));
        String delivery = UUID.randomUUID().toString();
        long first = processed(github("pull_request", body, delivery));
        int events = db.fetchCount(WEBHOOK_EVENT);
        int transitions = db.fetchCount(PULL_REQUEST_EVENT);

        var again = github("pull_request", body, delivery);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json.readTree(again.body()).get("eventId").asLong()).isEqualTo(first);
        assertThat(json.readTree(again.body()).get("status").asString()).isEqualTo("duplicate");
        assertThat(json.readTree(again.body()).get("duplicate").asBoolean()).isTrue();
        assertThat(db.fetchCount(WEBHOOK_EVENT)).isEqualTo(events);
        assertThat(db.fetchCount(PULL_REQUEST_EVENT)).isEqualTo(transitions);
    }

    @Test
    void reviewIsStoredWithItsReviewer() {
        long forgeId = REPOSITORY_IDS.incrementAndGet();
        processed(github("pull_request_review", bytes(fixture("github/pull_request_review/submitted.payload.json", forgeId)),
                UUID.randomUUID().toString()));
        var review = db.select(REVIEW.REVIEWER, REVIEW.STATE).from(REVIEW).join(PULL_REQUEST).on(PULL_REQUEST.ID.eq(REVIEW.PULL_REQUEST_ID))
                .where(PULL_REQUEST.REPOSITORY_ID.eq(repository("github", forgeId))).fetchSingle();
        assertThat(review.value1()).isEqualTo("Codertocat");
        assertThat(review.value2()).isEqualTo("commented");
    }

    @Test
    void gitlabAndGiteaPullRequestsHaveTheSameShapeAsGithubs() {
        long lab = REPOSITORY_IDS.incrementAndGet();
        long tea = REPOSITORY_IDS.incrementAndGet();
        processed(gitlab("Merge Request Hook", bytes(fixture("gitlab/merge_request.json", lab))));
        ObjectNode giteaPayload = fixture("github/pull_request/opened.payload.json", tea);
        processed(gitea("pull_request", bytes(giteaPayload)));

        var mr = db.selectFrom(PULL_REQUEST).where(PULL_REQUEST.REPOSITORY_ID.eq(repository("gitlab", lab))).fetchSingle();
        assertThat(mr.getState()).isEqualTo("open");
        assertThat(mr.getNumber()).isEqualTo(1L);
        assertThat(mr.getCreatedAt().toInstant()).hasToString("2013-12-03T17:23:34Z");
        assertThat(mr.getHeadRef()).isEqualTo("ms-viewport");
        assertThat(transitions(mr.getId())).containsExactly("opened@2013-12-03T17:23:34Z");

        var pr = db.selectFrom(PULL_REQUEST).where(PULL_REQUEST.REPOSITORY_ID.eq(repository("gitea", tea))).fetchSingle();
        assertThat(pr.getState()).isEqualTo("open");
        assertThat(transitions(pr.getId())).containsExactly("opened@2019-05-15T15:20:33Z");
    }

    @Test
    void pipelinesDeploymentsAndIssuesAreStored() {
        long lab = REPOSITORY_IDS.incrementAndGet();
        long hub = REPOSITORY_IDS.incrementAndGet();
        processed(gitlab("Pipeline Hook", bytes(fixture("gitlab/pipeline.json", lab))));
        processed(gitlab("Deployment Hook", bytes(fixture("gitlab/deployment.json", lab))));
        processed(github("deployment_status", bytes(fixture("github/deployment_status/payload.json", hub)), UUID.randomUUID().toString()));
        processed(github("issues", bytes(fixture("github/issues/labeled.payload.json", hub)), UUID.randomUUID().toString()));

        var pipeline = db.selectFrom(PIPELINE).where(PIPELINE.REPOSITORY_ID.eq(repository("gitlab", lab))).fetchSingle();
        assertThat(pipeline.getStatus()).isEqualTo("success");
        assertThat(pipeline.getFinishedAt().toInstant()).hasToString("2016-08-12T15:26:29Z");

        var labDeployment = db.selectFrom(DEPLOYMENT).where(DEPLOYMENT.REPOSITORY_ID.eq(repository("gitlab", lab))).fetchSingle();
        assertThat(labDeployment.getEnvironment()).isEqualTo("staging");
        assertThat(db.select(DEPLOYMENT_STATUS.STATE).from(DEPLOYMENT_STATUS).where(DEPLOYMENT_STATUS.DEPLOYMENT_ID.eq(labDeployment.getId()))
                .fetch(DEPLOYMENT_STATUS.STATE)).containsExactly("success");

        var hubDeployment = db.selectFrom(DEPLOYMENT).where(DEPLOYMENT.REPOSITORY_ID.eq(repository("github", hub))).fetchSingle();
        assertThat(db.fetchCount(DEPLOYMENT_STATUS, DEPLOYMENT_STATUS.DEPLOYMENT_ID.eq(hubDeployment.getId()))).isEqualTo(1);

        var issue = db.selectFrom(ISSUE).where(ISSUE.REPOSITORY_ID.eq(repository("github", hub))).fetchSingle();
        assertThat(issue.getLabels()).isEqualTo("bug");
        assertThat(issue.getState()).isEqualTo("open");
    }

    @Test
    void readApiShowsThePullRequestWithItsTimeline() {
        long forgeId = REPOSITORY_IDS.incrementAndGet();
        processed(github("pull_request", bytes(merged(forgeId)), UUID.randomUUID().toString()));
        long repo = repository("github", forgeId);
        JsonNode prs = json.readTree(admin.get("/api/v1/repositories/" + repo + "/pull-requests").body());
        assertThat(prs.get(0).get("state").asString()).isEqualTo("merged");
        assertThat(prs.get(0).get("transitions").findValuesAsString("kind")).containsExactly("opened", "closed", "merged");
        assertThat(admin.get("/api/v1/repositories/987654321/pull-requests").statusCode()).isEqualTo(404);
        JsonNode events = json.readTree(admin.get("/api/v1/events?connection=" + github + "&status=processed").body());
        assertThat(events.get("items").size()).isEqualTo(1);
    }

    @Test
    void prometheusCountsDeliveriesByOutcome() {
        // Which of the test servers sharing this database processes a given delivery is not fixed, so this checks
        // the series are exposed; bench/drain.sh follows a backlog through them on a server of its own.
        String metrics = new TestHttp(port, null).get("/actuator/prometheus").body();
        for (String outcome : List.of("processed", "ignored", "failed")) {
            assertThat(metrics).containsPattern("forgeline_ingest_events_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} [0-9.]+");
        }
    }

    @Test
    void unknownEventIsAcceptedAndIgnored() {
        var answer = github("star", "{\"action\":\"created\"}".getBytes(StandardCharsets.UTF_8), UUID.randomUUID().toString());
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(json.readTree(answer.body()).get("status").asString()).isEqualTo("ignored");
        var ping = github("ping", Fixtures.read("github/ping/payload.json"), UUID.randomUUID().toString());
        assertThat(json.readTree(ping.body()).get("status").asString()).isEqualTo("ignored");
    }

    @Test
    void badDeliveriesAreRefusedAndStoreNothing() {
        byte[] body = Fixtures.read("github/push/payload.json");
        int before = db.fetchCount(WEBHOOK_EVENT);
        String delivery = UUID.randomUUID().toString();

        var wrongSignature = TestHttp.send(request("github", github).header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", "sha256=" + Provider.hmacSha256("not-the-secret", body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(wrongSignature.statusCode()).isEqualTo(401);
        assertThat(wrongSignature.body()).contains("does not match");

        var noSignature = TestHttp.send(request("github", github).header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(noSignature.statusCode()).isEqualTo(401);

        var wrongToken = TestHttp.send(request("gitlab", gitlab).header("Content-Type", "application/json")
                .header("X-Gitlab-Event", "Push Hook").header("X-Gitlab-Token", "guess")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.read("gitlab/push.json"))).build());
        assertThat(wrongToken.statusCode()).isEqualTo(401);

        byte[] truncated = Arrays.copyOf(body, body.length / 2);
        assertThat(github("push", truncated, delivery).statusCode()).isEqualTo(400);
        assertThat(github("push", new byte[0], delivery).statusCode()).isEqualTo(400);
        assertThat(github("push", "[1,2]".getBytes(StandardCharsets.UTF_8), delivery).statusCode()).isEqualTo(400);
        byte[] latin1 = "{\"action\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(github("push", latin1, delivery).statusCode()).isEqualTo(400);

        var form = TestHttp.send(request("github", github).header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", "sha256=" + Provider.hmacSha256(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(form.statusCode()).isEqualTo(415);

        byte[] huge = new byte[26 * 1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        assertThat(github("push", huge, delivery).statusCode()).isEqualTo(413);

        assertThat(TestHttp.send(request("github", 987654321L).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()).statusCode()).isEqualTo(404);
        assertThat(TestHttp.send(request("gitlab", github).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()).statusCode()).as("provider mismatch").isEqualTo(404);

        assertThat(db.fetchCount(WEBHOOK_EVENT)).isEqualTo(before);
    }

    @Test
    void gitlabSigningTokenIsVerifiedWithItsTimestamp() throws Exception {
        byte[] body = Fixtures.read("gitlab/push.json");
        long now = java.time.Instant.now().getEpochSecond();
        assertThat(signedGitlab(body, "msg_1", now, body).statusCode()).isEqualTo(202);
        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[tampered.length - 2] = ' ';
        assertThat(signedGitlab(tampered, "msg_2", now, body).statusCode()).as("body changed after signing").isEqualTo(401);
        assertThat(signedGitlab(body, "msg_3", now - 3600, body).statusCode()).as("an hour-old signature").isEqualTo(401);
    }

    /** Sends body with GitLab's webhook-signature computed over signedBody, and no X-Gitlab-Token. */
    private HttpResponse<String> signedGitlab(byte[] body, String id, long timestamp, byte[] signedBody) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String signature = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(signedBody));
        return TestHttp.send(request("gitlab", gitlab).header("Content-Type", "application/json")
                .header("X-Gitlab-Event", "Push Hook").header("Idempotency-Key", id).header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp)).header("webhook-signature", "v1,bm90LXRoaXMtb25l " + signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @Test
    void connectionsAreAdminOnlyAndNeverShowTheirSecret() {
        var listed = admin.get("/api/v1/connections");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"provider\":\"github\"").doesNotContain(secret);
        assertThat(new TestHttp(port, null).get("/api/v1/connections").statusCode()).isEqualTo(401);
        assertThat(admin.post("/api/v1/connections", "{\"provider\":\"svn\",\"name\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(db.fetchExists(dev.forgeline.schema.Tables.CONNECTION,
                dev.forgeline.schema.Tables.CONNECTION.SECRET_ENCRYPTED.contains(secret))).as("encrypted at rest").isFalse();
    }

    @Test
    void replayProcessesAStoredEventAgain() {
        long forgeId = REPOSITORY_IDS.incrementAndGet();
        long id = processed(github("pull_request", bytes(fixture("github/pull_request/opened.payload.json", forgeId)),
                UUID.randomUUID().toString()));
        var replay = admin.post("/api/v1/events/" + id + "/replay", null);
        assertThat(replay.statusCode()).isEqualTo(202);
        Eventually.await("replayed", DEADLINE, () -> "processed".equals(db.select(WEBHOOK_EVENT.STATUS).from(WEBHOOK_EVENT)
                .where(WEBHOOK_EVENT.ID.eq(id)).fetchSingle(WEBHOOK_EVENT.STATUS)));
        assertThat(db.fetchCount(PULL_REQUEST, PULL_REQUEST.REPOSITORY_ID.eq(repository("github", forgeId)))).isEqualTo(1);
        assertThat(admin.post("/api/v1/events/987654321/replay", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aBacklogOfOneRepositoryIsProcessedInBatchesAndABadDeliveryHoldsUpNoOther() {
        long forgeId = REPOSITORY_IDS.incrementAndGet();
        String key = Long.toString(forgeId);
        int good = 40;
        // Stored and queued in one transaction, as a web process would have stored them while no worker ran.
        List<Long> ids = transaction.execute(tx -> {
            Map<String, String> runs = new LinkedHashMap<>();
            List<Long> stored = new ArrayList<>();
            for (int i = 0; i < good; i++) {
                ObjectNode payload = fixture("github/pull_request/opened.payload.json", forgeId);
                ((ObjectNode) payload.get("pull_request")).put("number", 5000 + i).put("id", 77_000_000L + forgeId * 100 + i);
                stored.add(events.insert(new StoredEvents.NewEvent(github, Provider.GITHUB, "pull_request", "opened", key,
                        UUID.randomUUID().toString(), "{}", json.writeValueAsString(payload), StoredEvents.Status.RECEIVED)));
                if (i == good / 2) {
                    // A delivery no version of the normaliser can read (cut off in storage, say), in the middle.
                    stored.add(events.insert(new StoredEvents.NewEvent(github, Provider.GITHUB, "pull_request", "opened", key,
                            UUID.randomUUID().toString(), "{}", "{\"pull_request\": {", StoredEvents.Status.RECEIVED)));
                }
            }
            stored.forEach(id -> runs.put(EventProcessor.key(id), Long.toString(id)));
            jobs.enqueueAllNew(EventProcessor.JOB, runs);
            return stored;
        });
        long bad = ids.get(good / 2 + 1);
        Eventually.await("backlog worked through", DEADLINE, () -> db.fetchCount(WEBHOOK_EVENT,
                WEBHOOK_EVENT.ID.in(ids).and(WEBHOOK_EVENT.STATUS.eq("received"))) == 0
                && !"received".equals(status(bad)));
        assertThat(db.fetchCount(WEBHOOK_EVENT, WEBHOOK_EVENT.ID.in(ids).and(WEBHOOK_EVENT.STATUS.eq("processed")))).isEqualTo(good);
        assertThat(status(bad)).isIn("failed", "dead");
        assertThat(db.select(WEBHOOK_EVENT.ERROR).from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.ID.eq(bad)).fetchSingle(WEBHOOK_EVENT.ERROR))
                .isNotBlank();
        assertThat(db.fetchCount(PULL_REQUEST, PULL_REQUEST.REPOSITORY_ID.eq(repository("github", forgeId)))).isEqualTo(good);

        // Without a bad delivery, a backlog takes a few transactions, not one per delivery.
        long quiet = REPOSITORY_IDS.incrementAndGet();
        List<Long> more = transaction.execute(tx -> {
            Map<String, String> runs = new LinkedHashMap<>();
            List<Long> stored = new ArrayList<>();
            for (int i = 0; i < good; i++) {
                ObjectNode payload = fixture("github/pull_request/opened.payload.json", quiet);
                ((ObjectNode) payload.get("pull_request")).put("number", 6000 + i).put("id", 78_000_000L + quiet * 100 + i);
                long id = events.insert(new StoredEvents.NewEvent(github, Provider.GITHUB, "pull_request", "opened",
                        Long.toString(quiet), UUID.randomUUID().toString(), "{}", json.writeValueAsString(payload),
                        StoredEvents.Status.RECEIVED));
                stored.add(id);
                runs.put(EventProcessor.key(id), Long.toString(id));
            }
            jobs.enqueueAllNew(EventProcessor.JOB, runs);
            return stored;
        });
        Eventually.await("second backlog processed", DEADLINE, () -> db.fetchCount(WEBHOOK_EVENT,
                WEBHOOK_EVENT.ID.in(more).and(WEBHOOK_EVENT.STATUS.eq("processed"))) == good);
        Long batches = db.select(INGEST_REPOSITORY_GUARD.BATCHES).from(INGEST_REPOSITORY_GUARD)
                .where(INGEST_REPOSITORY_GUARD.CONNECTION_ID.eq(github)).and(INGEST_REPOSITORY_GUARD.REPOSITORY_KEY.eq(Long.toString(quiet)))
                .fetchSingle(INGEST_REPOSITORY_GUARD.BATCHES);
        assertThat(batches).isBetween(1L, 8L);
        assertThat(db.fetchCount(PULL_REQUEST, PULL_REQUEST.REPOSITORY_ID.eq(repository("github", quiet)))).isEqualTo(good);
    }

    // Bad input and repeated deliveries -----------------------------------------------------------------------

    @Test
    void overLongHeadersAndActionAnswer400NamingTheFieldAndStoreNothing() {
        byte[] push = bytes(fixture("github/push/payload.json", REPOSITORY_IDS.incrementAndGet()));
        int before = db.fetchCount(WEBHOOK_EVENT);

        var longDelivery = github("push", push, "d".repeat(300));
        assertThat(longDelivery.statusCode()).isEqualTo(400);
        assertThat(longDelivery.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(longDelivery.body()).contains("X-GitHub-Delivery is over 200 characters");

        var longEvent = github("e".repeat(101), push, UUID.randomUUID().toString());
        assertThat(longEvent.statusCode()).isEqualTo(400);
        assertThat(longEvent.body()).contains("X-GitHub-Event is over 100 characters");

        var longAction = github("pull_request", ("{\"action\":\"" + "a".repeat(101) + "\"}").getBytes(StandardCharsets.UTF_8),
                UUID.randomUUID().toString());
        assertThat(longAction.statusCode()).isEqualTo(400);
        assertThat(longAction.body()).contains("action in the body is over 100 characters");

        var gitlabAction = gitlab("Merge Request Hook", ("{\"object_attributes\":{\"action\":\"" + "a".repeat(101) + "\"}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(gitlabAction.statusCode()).isEqualTo(400);
        assertThat(gitlabAction.body()).contains("action in the body is over 100 characters");

        // PostgreSQL cannot store a NUL in a text column: refused here, not by the database in the middle of a batch.
        var nul = github("pull_request", "{\"action\":\"open\\u0000ed\"}".getBytes(StandardCharsets.UTF_8), UUID.randomUUID().toString());
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(nul.body()).contains("action in the body holds a NUL character");

        var exactlyAtTheLimit = github("push", push, "d".repeat(200));
        assertThat(exactlyAtTheLimit.statusCode()).isEqualTo(202);
        assertThat(db.fetchCount(WEBHOOK_EVENT)).isEqualTo(before + 1);
    }

    @Test
    void oneConnectionsOverLongDeliveriesFailNoneOfAnotherConnectionsDeliveries() throws Exception {
        long forgeId = REPOSITORY_IDS.incrementAndGet();
        byte[] push = bytes(fixture("github/push/payload.json", forgeId));
        byte[] star = "{\"action\":\"created\"}".getBytes(StandardCharsets.UTF_8);
        // Sent together, so that the writers store valid deliveries of one connection in batches while the other
        // connection's over-long ones arrive.
        List<java.util.concurrent.Callable<HttpResponse<String>>> valid = new ArrayList<>();
        List<java.util.concurrent.Callable<HttpResponse<String>>> overLong = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            valid.add(() -> github("push", push, UUID.randomUUID().toString()));
            overLong.add(() -> TestHttp.send(request("gitea", gitea).header("Content-Type", "application/json")
                    .header("X-Gitea-Event", "star").header("X-Gitea-Delivery", UUID.randomUUID() + "x".repeat(300))
                    .header("X-Gitea-Signature", Provider.hmacSha256(secret, star))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(star)).build()));
        }
        List<java.util.concurrent.Callable<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < valid.size(); i++) {
            all.add(overLong.get(i));
            all.add(valid.get(i));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (var senders = java.util.concurrent.Executors.newFixedThreadPool(24)) {
            for (var answer : senders.invokeAll(all)) {
                answers.add(answer.get());
            }
        }
        List<Integer> validCodes = new ArrayList<>();
        List<Integer> overLongCodes = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            (i % 2 == 0 ? overLongCodes : validCodes).add(answers.get(i).statusCode());
        }
        assertThat(overLongCodes).containsOnly(400);
        assertThat(validCodes).containsOnly(202);
        assertThat(db.fetchCount(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID.eq(github))).isEqualTo(60);
        assertThat(db.fetchCount(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID.eq(gitea))).isZero();
    }

    @Autowired EventWriter writer;

    private StoredEvents.NewEvent event(long connection, String delivery, String eventType) {
        return new StoredEvents.NewEvent(connection, Provider.GITHUB, eventType, "created", null, delivery, "{}",
                "{\"action\":\"created\"}", StoredEvents.Status.IGNORED);
    }

    private static EventWriter.Stored result(EventWriter.Pending pending) {
        return pending.result().getNow(null);
    }

    @Test
    void aRowTheDatabaseRefusesFailsOnlyItsOwnDeliveryNotTheBatch() {
        var good = new EventWriter.Pending(event(github, UUID.randomUUID().toString(), "star"));
        // Past the checks of the accept path: a row that breaks a constraint of the table.
        var refused = new EventWriter.Pending(event(gitea, UUID.randomUUID().toString(), null));
        var alsoGood = new EventWriter.Pending(event(gitea, UUID.randomUUID().toString(), "star"));
        writer.write(List.of(good, refused, alsoGood));

        assertThat(refused.result()).isCompletedExceptionally();
        assertThat(result(good).duplicate()).isFalse();
        assertThat(result(alsoGood).duplicate()).isFalse();
        assertThat(db.fetchCount(WEBHOOK_EVENT, WEBHOOK_EVENT.ID.in(result(good).eventId(), result(alsoGood).eventId()))).isEqualTo(2);
    }

    @Test
    void repeatedDeliveriesInOneBatchAndAcrossBatchesAnswerTheFirstEventsId() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();
        var firstA = new EventWriter.Pending(event(github, a, "star"));
        var firstB = new EventWriter.Pending(event(github, b, "star"));
        writer.write(List.of(firstA, firstB));

        var againA = new EventWriter.Pending(event(github, a, "star"));
        var firstC = new EventWriter.Pending(event(github, c, "star"));
        var againC = new EventWriter.Pending(event(github, c, "star"));
        var againB = new EventWriter.Pending(event(github, b, "star"));
        // The same delivery id on another connection is another delivery.
        var otherConnection = new EventWriter.Pending(event(gitea, a, "star"));
        writer.write(List.of(againA, firstC, againC, againB, otherConnection));

        assertThat(result(firstA).duplicate()).isFalse();
        assertThat(result(againA)).isEqualTo(new EventWriter.Stored(result(firstA).eventId(), true));
        assertThat(result(againB)).isEqualTo(new EventWriter.Stored(result(firstB).eventId(), true));
        assertThat(result(firstC).duplicate()).isFalse();
        assertThat(result(againC)).isEqualTo(new EventWriter.Stored(result(firstC).eventId(), true));
        assertThat(result(otherConnection).duplicate()).isFalse();
        assertThat(result(otherConnection).eventId()).isNotEqualTo(result(firstA).eventId());
        assertThat(db.fetchCount(WEBHOOK_EVENT, WEBHOOK_EVENT.DELIVERY_ID.in(a, b, c))).isEqualTo(4);
    }

    @Test
    void aRedeliveryStormIsAnsweredWithTheFirstEventsIdAndStoresEachDeliveryOnce() throws Exception {
        byte[] push = bytes(fixture("github/push/payload.json", REPOSITORY_IDS.incrementAndGet()));
        List<String> deliveries = new ArrayList<>();
        List<java.util.concurrent.Callable<HttpResponse<String>>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String delivery = UUID.randomUUID().toString();
            deliveries.add(delivery);
            for (int copy = 0; copy < 3; copy++) {
                sends.add(() -> github("push", push, delivery));
            }
        }
        Map<String, List<JsonNode>> answers = new LinkedHashMap<>();
        try (var senders = java.util.concurrent.Executors.newFixedThreadPool(24)) {
            var futures = senders.invokeAll(sends);
            for (int i = 0; i < futures.size(); i++) {
                HttpResponse<String> answer = futures.get(i).get();
                assertThat(answer.statusCode()).as(answer.body()).isIn(200, 202);
                JsonNode body = json.readTree(answer.body());
                assertThat(body.get("duplicate").asBoolean()).isEqualTo(answer.statusCode() == 200);
                answers.computeIfAbsent(deliveries.get(i / 3), d -> new ArrayList<>()).add(body);
            }
        }
        for (String delivery : deliveries) {
            List<JsonNode> copies = answers.get(delivery);
            long stored = db.select(WEBHOOK_EVENT.ID).from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.CONNECTION_ID.eq(github))
                    .and(WEBHOOK_EVENT.DELIVERY_ID.eq(delivery)).fetchSingle(WEBHOOK_EVENT.ID);
            assertThat(copies).extracting(c -> c.get("eventId").asLong()).containsOnly(stored);
            assertThat(copies).filteredOn(c -> c.get("status").asString().equals("duplicate")).hasSize(2);
        }
    }

    @Test
    void fieldsOfAnotherShapeAreAcceptedAndIgnoredWithTheReason() {
        ObjectNode actionObject = fixture("github/pull_request/opened.payload.json", REPOSITORY_IDS.incrementAndGet());
        actionObject.putObject("action").put("nested", "opened");
        ObjectNode repositoryIdArray = fixture("github/push/payload.json", REPOSITORY_IDS.incrementAndGet());
        ((ObjectNode) repositoryIdArray.get("repository")).putArray("id").add(1).add(2);
        ObjectNode projectIdObject = (ObjectNode) json.readTree(Fixtures.read("gitlab/job.json"));
        projectIdObject.putObject("project_id").put("id", 7);
        ObjectNode mergeRequest = fixture("gitlab/merge_request.json", REPOSITORY_IDS.incrementAndGet());
        ((ObjectNode) mergeRequest.get("object_attributes")).putArray("action").add("open");

        Map<Long, String> reasons = new LinkedHashMap<>();
        reasons.put(accepted(github("pull_request", bytes(actionObject), UUID.randomUUID().toString())), "action is an object");
        reasons.put(accepted(github("push", bytes(repositoryIdArray), UUID.randomUUID().toString())), "repository.id is an array");
        reasons.put(accepted(gitlab("Job Hook", bytes(projectIdObject))), "project_id is an object");
        reasons.put(accepted(gitlab("Merge Request Hook", bytes(mergeRequest))), "object_attributes.action is an array");

        reasons.forEach((id, reason) -> {
            Eventually.await("event " + id + " done", DEADLINE, () -> !status(id).equals("received"));
            var event = db.selectFrom(WEBHOOK_EVENT).where(WEBHOOK_EVENT.ID.eq(id)).fetchSingle();
            assertThat(event.getStatus()).isEqualTo("ignored");
            assertThat(event.getError()).contains(reason);
        });
        JsonNode shown = json.readTree(admin.get("/api/v1/events/" + reasons.keySet().iterator().next()).body());
        assertThat(shown.get("event").get("error").asString()).contains("action is an object");
    }

    private long accepted(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        JsonNode body = json.readTree(answer.body());
        assertThat(body.get("status").asString()).isEqualTo("received");
        return body.get("eventId").asLong();
    }

    private String status(long eventId) {
        return db.select(WEBHOOK_EVENT.STATUS).from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.ID.eq(eventId)).fetchSingle(WEBHOOK_EVENT.STATUS);
    }

    private List<String> transitions(long pullRequestId) {
        return db.select(PULL_REQUEST_EVENT.KIND, PULL_REQUEST_EVENT.AT).from(PULL_REQUEST_EVENT)
                .where(PULL_REQUEST_EVENT.PULL_REQUEST_ID.eq(pullRequestId))
                .orderBy(PULL_REQUEST_EVENT.AT, PULL_REQUEST_EVENT.KIND)
                .fetch(r -> r.value1() + "@" + r.value2().toInstant());
    }
}
