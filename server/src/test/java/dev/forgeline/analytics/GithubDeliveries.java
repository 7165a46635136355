package dev.forgeline.analytics;

import static dev.forgeline.schema.Tables.REPOSITORY;
import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;

import dev.forgeline.test.Eventually;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.Signing;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real GitHub payloads from the fixtures, re-timed and re-numbered into a history of one repository, signed and
 * posted to the real webhook endpoint.
 */
public final class GithubDeliveries {

    private final int port;
    private final long connection;
    private final String secret;
    private final JsonMapper json;
    private final long forgeId;

    public GithubDeliveries(int port, long connection, String secret, JsonMapper json, long forgeId) {
        this.port = port;
        this.connection = connection;
        this.secret = secret;
        this.json = json;
        this.forgeId = forgeId;
    }

    /** The connection the deliveries are sent to. */
    public long connection() {
        return connection;
    }

    public record Delivery(String event, byte[] body) {
    }

    private ObjectNode fixture(String relative) {
        ObjectNode payload = (ObjectNode) json.readTree(Fixtures.read(relative));
        ((ObjectNode) payload.get("repository")).put("id", forgeId);
        ((ObjectNode) payload.get("repository")).put("full_name", "acme/repo-" + forgeId);
        return payload;
    }

    private Delivery delivery(String event, JsonNode payload) {
        return new Delivery(event, json.writeValueAsBytes(payload));
    }

    /** A forge user of the history: a login and an id of its own, so that no fixture's real user is renamed. */
    private static void user(ObjectNode user, String login) {
        user.put("login", login);
        user.put("id", 800_000_000L + Math.floorMod(login.hashCode(), 100_000_000));
        user.remove("email");
        user.remove("name");
    }

    private static String t(Instant at) {
        return at == null ? null : at.toString();
    }

    /** A pull request snapshot; state open, closed or merged; the sender is who acted (the merger on a merge). */
    public Delivery pullRequest(String action, long number, String author, String state, Instant created, Instant updated,
                                Instant closed, String branch, String sender, int additions, int deletions) {
        ObjectNode p = fixture(state.equals("open") ? "github/pull_request/opened.payload.json" : "github/pull_request/closed.payload.json");
        p.put("action", action);
        user((ObjectNode) p.get("sender"), sender);
        ObjectNode pr = (ObjectNode) p.get("pull_request");
        fillPullRequest(pr, number, author, state, created, updated, closed, branch, additions, deletions);
        return delivery("pull_request", p);
    }

    private void fillPullRequest(ObjectNode pr, long number, String author, String state, Instant created, Instant updated,
                                 Instant closed, String branch, int additions, int deletions) {
        pr.put("number", number);
        pr.put("id", forgeId * 1000 + number);
        user((ObjectNode) pr.get("user"), author);
        pr.put("state", state.equals("open") ? "open" : "closed");
        pr.put("created_at", t(created));
        pr.put("updated_at", t(updated));
        pr.put("closed_at", t(closed));
        pr.put("merged", state.equals("merged"));
        pr.put("merged_at", state.equals("merged") ? t(closed) : null);
        pr.put("merge_commit_sha", state.equals("merged") ? String.format("%040x", forgeId * 1000 + number) : null);
        pr.put("draft", false);
        ((ObjectNode) pr.get("head")).put("ref", branch);
        pr.put("additions", additions);
        pr.put("deletions", deletions);
    }

    public Delivery review(long id, long number, String prAuthor, Instant prCreated, String branch, String reviewer, Instant submitted) {
        ObjectNode p = fixture("github/pull_request_review/submitted.payload.json");
        ObjectNode pr = (ObjectNode) p.get("pull_request");
        fillPullRequest(pr, number, prAuthor, "open", prCreated, prCreated, null, branch, 0, 0);
        ObjectNode review = (ObjectNode) p.get("review");
        review.put("id", id);
        user((ObjectNode) review.get("user"), reviewer);
        review.put("submitted_at", t(submitted));
        review.put("state", "approved");
        return delivery("pull_request_review", p);
    }

    public Delivery comment(long id, long number, String author, Instant created) {
        ObjectNode p = fixture("github/issue_comment/created.payload.json");
        ObjectNode issue = (ObjectNode) p.get("issue");
        issue.put("number", number);
        issue.putObject("pull_request").put("url", "https://api.github.com/repos/acme/repo/pulls/" + number);
        ObjectNode comment = (ObjectNode) p.get("comment");
        comment.put("id", id);
        user((ObjectNode) comment.get("user"), author);
        comment.put("created_at", t(created));
        return delivery("issue_comment", p);
    }

    public record Commit(String sha, String login, Instant authored) {
    }

    public Delivery push(String branch, List<Commit> commits) {
        ObjectNode p = fixture("github/push/payload.json");
        p.put("ref", "refs/heads/" + branch);
        p.put("after", commits.isEmpty() ? "0".repeat(40) : commits.getLast().sha());
        ArrayNode array = p.putArray("commits");
        for (Commit c : commits) {
            ObjectNode commit = array.addObject();
            commit.put("id", c.sha());
            commit.put("message", "Change " + c.sha().substring(0, 7));
            commit.put("timestamp", t(c.authored()));
            ObjectNode author = commit.putObject("author");
            author.put("name", c.login());
            author.put("email", c.login() + "@example.com");
            author.put("username", c.login());
        }
        p.set("head_commit", commits.isEmpty() ? null : array.get(array.size() - 1));
        return delivery("push", p);
    }

    /** A deployment status: state success, failure, in_progress…; the deployment was created at `created`. */
    public Delivery deploymentStatus(long id, String environment, String sha, String state, Instant created, Instant at) {
        ObjectNode p = fixture("github/deployment_status/payload.json");
        ObjectNode d = (ObjectNode) p.get("deployment");
        d.put("id", id);
        d.put("environment", environment);
        d.put("sha", sha);
        d.put("created_at", t(created));
        ObjectNode s = (ObjectNode) p.get("deployment_status");
        s.put("id", id * 100 + state.hashCode() % 100);
        s.put("state", state);
        s.put("environment", environment);
        s.put("created_at", t(at));
        s.put("updated_at", t(at));
        return delivery("deployment_status", p);
    }

    /** A completed workflow run (a pipeline) with its conclusion, finished at the given time. */
    public Delivery workflowRun(long id, String name, String conclusion, Instant started, Instant finished) {
        ObjectNode p = fixture("github/workflow_run/completed.payload.json");
        ObjectNode run = (ObjectNode) p.get("workflow_run");
        run.put("id", id);
        run.put("name", name);
        run.put("status", "completed");
        run.put("conclusion", conclusion);
        run.put("created_at", t(started));
        run.put("run_started_at", t(started));
        run.put("updated_at", t(finished));
        return delivery("workflow_run", p);
    }

    public Delivery issue(long number, List<String> labels, Instant created, Instant updated, Instant closed) {
        ObjectNode p = fixture("github/issues/labeled.payload.json");
        ObjectNode issue = (ObjectNode) p.get("issue");
        issue.put("number", number);
        issue.put("id", forgeId * 1000 + number);
        ArrayNode array = issue.putArray("labels");
        labels.forEach(l -> array.addObject().put("name", l));
        issue.put("state", closed == null ? "open" : "closed");
        issue.put("created_at", t(created));
        issue.put("updated_at", t(updated));
        issue.put("closed_at", t(closed));
        return delivery("issues", p);
    }

    public HttpResponse<String> send(Delivery d) {
        return TestHttp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/github/" + connection))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("X-GitHub-Event", d.event()).header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", "sha256=" + Signing.hmacSha256(secret, d.body()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body())).build());
    }

    /**
     * Sends each delivery, then waits until every event of the connection is processed. A delivery that lost a
     * race for a lock is retried by the queue (after 30 s); only one that died fails the test.
     */
    public static void sendAll(DSLContext db, long connection, List<GithubDeliveries> sources, List<Delivery> deliveries, GithubDeliveries via) {
        for (Delivery d : deliveries) {
            assertThat(via.send(d).statusCode()).isEqualTo(202);
        }
        Eventually.await("every delivery processed", Duration.ofSeconds(240), () -> {
            var dead = db.select(WEBHOOK_EVENT.ERROR).from(WEBHOOK_EVENT)
                    .where(WEBHOOK_EVENT.CONNECTION_ID.eq(connection)).and(WEBHOOK_EVENT.STATUS.eq("dead")).fetch(WEBHOOK_EVENT.ERROR);
            if (!dead.isEmpty()) {
                throw new AssertionError("processing failed: " + dead.getFirst());
            }
            return db.fetchCount(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID.eq(connection)
                    .and(WEBHOOK_EVENT.STATUS.notIn("processed", "ignored"))) == 0;
        });
    }

    /** Sends the deliveries one at a time, each once the one before is processed. */
    public static void sendInTurn(DSLContext db, long connection, List<Delivery> deliveries, GithubDeliveries via) {
        for (Delivery d : deliveries) {
            sendAll(db, connection, List.of(via), List.of(d), via);
        }
    }

    public long repositoryId(DSLContext db) {
        return db.select(REPOSITORY.ID).from(REPOSITORY)
                .where(REPOSITORY.PROVIDER.eq("github")).and(REPOSITORY.FORGE_ID.eq(Long.toString(forgeId))).fetchSingle(REPOSITORY.ID);
    }
}
