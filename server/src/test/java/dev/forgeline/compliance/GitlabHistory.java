package dev.forgeline.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;

import dev.forgeline.test.Eventually;
import dev.forgeline.test.Fixtures;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A student team's GitLab project history made of the real GitLab example payloads, re-timed and re-numbered,
 * posted to the real webhook endpoint in the order given. Waits until every delivery is processed.
 */
final class GitlabHistory {

    record Author(String login, String name, String email) {
    }

    private final JsonMapper json;
    private final int port;
    private final long connection;
    private final String secret;
    private final long projectId;
    private final String path;
    private final List<Long> sent = new ArrayList<>();

    GitlabHistory(JsonMapper json, int port, long connection, String secret, long projectId, String path) {
        this.json = json;
        this.port = port;
        this.connection = connection;
        this.secret = secret;
        this.projectId = projectId;
        this.path = path;
    }

    String webUrl() {
        return "https://gitlab.example/" + path;
    }

    private ObjectNode fixture(String name) {
        ObjectNode payload = (ObjectNode) json.readTree(Fixtures.read("gitlab/" + name));
        ObjectNode project = (ObjectNode) payload.get("project");
        project.put("id", projectId);
        project.put("path_with_namespace", path);
        project.put("default_branch", "main");
        project.put("web_url", webUrl());
        if (payload.has("project_id")) {
            payload.put("project_id", projectId);
        }
        return payload;
    }

    private static String time(Instant at) {
        return at.toString();
    }

    /** A commit of a push: the files it added or modified (an empty list: an empty commit). */
    record Commit(String sha, String message, Instant at, Author author, List<String> files) {
    }

    static Commit commit(String sha, String message, Instant at, Author author, String... files) {
        return new Commit(sha, message, at, author, List.of(files));
    }

    GitlabHistory push(String branch, Author pusher, Commit... pushed) {
        ObjectNode payload = fixture("push.json");
        payload.put("ref", "refs/heads/" + branch);
        payload.put("user_username", pusher.login());
        payload.put("user_name", pusher.name());
        ObjectNode template = (ObjectNode) payload.get("commits").get(0);
        var commits = payload.putArray("commits");
        for (Commit c : pushed) {
            ObjectNode commit = template.deepCopy();
            commit.put("id", c.sha());
            commit.put("message", c.message());
            commit.put("title", c.message());
            commit.put("timestamp", time(c.at()));
            commit.put("url", webUrl() + "/-/commit/" + c.sha());
            ((ObjectNode) commit.get("author")).put("name", c.author().name()).put("email", c.author().email());
            commit.putArray("added");
            var modified = commit.putArray("modified");
            c.files().forEach(modified::add);
            commit.putArray("removed");
            commits.add(commit);
        }
        payload.put("after", pushed[pushed.length - 1].sha());
        payload.put("total_commits_count", commits.size());
        return send("Push Hook", payload);
    }

    /** Opened by the author at {@code opened}; closed at {@code closed} when that is not null (a second delivery). */
    GitlabHistory issue(long iid, String title, Author author, Instant opened, Instant closed) {
        send("Issue Hook", issuePayload(iid, title, author, "open", opened, opened, null));
        if (closed != null) {
            send("Issue Hook", issuePayload(iid, title, author, "close", opened, closed, closed));
        }
        return this;
    }

    private ObjectNode issuePayload(long iid, String title, Author actor, String action, Instant created, Instant updated, Instant closed) {
        ObjectNode payload = fixture("issue.json");
        ((ObjectNode) payload.get("user")).put("username", actor.login()).put("name", actor.name());
        ObjectNode a = (ObjectNode) payload.get("object_attributes");
        a.put("iid", iid);
        a.put("id", projectId * 1000 + iid);
        a.put("title", title);
        a.put("action", action);
        a.put("state", closed == null ? "opened" : "closed");
        a.put("created_at", time(created));
        a.put("updated_at", time(updated));
        if (closed != null) {
            a.put("closed_at", time(closed));
        }
        return payload;
    }

    private ObjectNode mergeRequestPayload(long iid, String source, Author actor, String action, String state, Instant created,
                                           Instant updated) {
        ObjectNode payload = fixture("merge_request.json");
        ((ObjectNode) payload.get("user")).put("username", actor.login()).put("name", actor.name());
        ObjectNode a = (ObjectNode) payload.get("object_attributes");
        a.put("iid", iid);
        a.put("id", projectId * 1000 + iid);
        a.put("source_branch", source);
        a.put("target_branch", "main");
        a.put("title", "Merge " + source);
        a.put("action", action);
        a.put("state", state);
        a.put("created_at", time(created));
        a.put("updated_at", time(updated));
        if (state.equals("merged")) {
            a.put("merged_at", time(updated));
        }
        return payload;
    }

    GitlabHistory openMergeRequest(long iid, String source, Author author, Instant at) {
        return send("Merge Request Hook", mergeRequestPayload(iid, source, author, "open", "opened", at, at));
    }

    GitlabHistory approve(long iid, String source, Author approver, Instant created, Instant at) {
        return send("Merge Request Hook", mergeRequestPayload(iid, source, approver, "approved", "opened", created, at));
    }

    GitlabHistory merge(long iid, String source, Author merger, Instant created, Instant at) {
        return send("Merge Request Hook", mergeRequestPayload(iid, source, merger, "merge", "merged", created, at));
    }

    GitlabHistory commentOnMergeRequest(long iid, long noteId, Author author, Instant at) {
        ObjectNode payload = fixture("note_merge_request.json");
        ((ObjectNode) payload.get("user")).put("username", author.login()).put("name", author.name());
        ObjectNode a = (ObjectNode) payload.get("object_attributes");
        a.put("id", noteId);
        a.put("created_at", time(at));
        a.put("updated_at", time(at));
        ((ObjectNode) payload.get("merge_request")).put("iid", iid);
        return send("Note Hook", payload);
    }

    GitlabHistory pipeline(long id, String ref, String sha, String status, Instant created, Instant finished) {
        ObjectNode payload = fixture("pipeline.json");
        ObjectNode a = (ObjectNode) payload.get("object_attributes");
        a.put("id", id);
        a.put("iid", id);
        a.put("ref", ref);
        a.put("sha", sha);
        a.put("status", status);
        a.put("created_at", time(created));
        a.put("finished_at", time(finished));
        return send("Pipeline Hook", payload);
    }

    private GitlabHistory send(String event, ObjectNode payload) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/webhooks/gitlab/" + connection))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("X-Gitlab-Event", event).header("X-Gitlab-Token", secret)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(payload))).build();
        HttpResponse<String> answer = TestHttp.send(request);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        sent.add(json.readTree(answer.body()).get("eventId").asLong());
        return this;
    }

    /** Waits until every delivery sent so far is processed; status reads the stored event's status by id. */
    void awaitProcessed(LongFunction<String> status) {
        for (long id : sent) {
            Eventually.await("event " + id + " processed", Duration.ofSeconds(60), () -> {
                String s = status.apply(id);
                assertThat(s).as("event " + id).isNotIn("failed", "dead", "ignored");
                return "processed".equals(s);
            });
        }
    }
}
