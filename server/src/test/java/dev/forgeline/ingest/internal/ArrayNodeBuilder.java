package dev.forgeline.ingest.internal;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Adds a commit to a GitHub push payload (the recorded examples push no commits). */
final class ArrayNodeBuilder {

    private ArrayNodeBuilder() {
    }

    static void commit(ObjectNode push, JsonMapper json, String sha, String message, String timestamp) {
        ObjectNode commit = json.createObjectNode();
        commit.put("id", sha);
        commit.put("message", message);
        commit.put("timestamp", timestamp);
        ObjectNode author = commit.putObject("author");
        author.put("name", "Codertocat");
        author.put("email", "21031067+Codertocat@users.noreply.github.com");
        author.put("username", "Codertocat");
        ArrayNode commits = push.putArray("commits");
        commits.add(commit);
        push.set("head_commit", commit);
    }
}
