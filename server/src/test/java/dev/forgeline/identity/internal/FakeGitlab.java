package dev.forgeline.identity.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * GitLab's REST API v4 on loopback, for the few routes a group import reads, answering with the JSON of GitLab's API
 * documentation. Lists are served in pages with GitLab's pagination headers ({@code X-Next-Page}, {@code X-Total-Pages},
 * and a {@code Link} header where asked for). A request with another token than the one it knows gets GitLab's 401.
 */
final class FakeGitlab implements AutoCloseable {

    private final HttpServer server;
    private final String token;
    /** Raw path → one JSON object. */
    private final Map<String, String> objects = new ConcurrentHashMap<>();
    /** Raw path → pages, each a JSON array. */
    private final Map<String, List<String>> lists = new ConcurrentHashMap<>();
    /** Raw path → a status to fail with (an outage of one route). */
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> tokensSeen = new CopyOnWriteArrayList<>();
    private volatile boolean linkHeaders = true;

    FakeGitlab(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void object(String rawPath, String json) {
        objects.put(rawPath, json);
    }

    void list(String rawPath, String... pages) {
        lists.put(rawPath, List.of(pages));
    }

    void fail(String rawPath, int status) {
        failures.put(rawPath, status);
    }

    /** Only {@code X-Next-Page}, as GitLab answers when it leaves the Link header out. */
    void withoutLinkHeaders() {
        linkHeaders = false;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(path + (query == null ? "" : "?" + query));
        String given = exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN");
        tokensSeen.add(String.valueOf(given));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (!token.equals(given)) {
            send(exchange, 401, "{\"message\":\"401 Unauthorized\"}");
            return;
        }
        Integer failure = failures.get(path);
        if (failure != null) {
            send(exchange, failure, "{\"message\":\"" + failure + " Service Unavailable\"}");
            return;
        }
        String object = objects.get(path);
        if (object != null) {
            send(exchange, 200, object);
            return;
        }
        List<String> pages = lists.get(path);
        if (pages == null) {
            send(exchange, 404, "{\"message\":\"404 Group Not Found\"}");
            return;
        }
        int page = 1;
        for (String parameter : query == null ? new String[0] : query.split("&")) {
            if (parameter.startsWith("page=")) {
                page = Integer.parseInt(parameter.substring(5));
            }
        }
        int total = pages.size();
        var headers = exchange.getResponseHeaders();
        headers.add("X-Page", Integer.toString(page));
        headers.add("X-Per-Page", "100");
        headers.add("X-Total-Pages", Integer.toString(total));
        headers.add("X-Next-Page", page < total ? Integer.toString(page + 1) : "");
        headers.add("X-Prev-Page", page > 1 ? Integer.toString(page - 1) : "");
        if (linkHeaders) {
            String self = baseUrl() + path + "?per_page=100&page=";
            StringBuilder link = new StringBuilder();
            if (page < total) {
                link.append('<').append(self).append(page + 1).append(">; rel=\"next\", ");
            }
            link.append('<').append(self).append(1).append(">; rel=\"first\", <").append(self).append(total).append(">; rel=\"last\"");
            headers.add("Link", link.toString());
        }
        send(exchange, 200, page <= total ? pages.get(page - 1) : "[]");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // The shapes below are GitLab's API documentation examples (groups, projects, members), with the values a test needs.

    static String group(long id, String name, String path, String fullPath, Long parentId) {
        return """
                {
                  "id": %d,
                  "name": "%s",
                  "path": "%s",
                  "description": "A subgroup of the course",
                  "visibility": "private",
                  "share_with_group_lock": false,
                  "require_two_factor_authentication": false,
                  "two_factor_grace_period": 48,
                  "project_creation_level": "developer",
                  "auto_devops_enabled": null,
                  "subgroup_creation_level": "owner",
                  "emails_disabled": null,
                  "emails_enabled": null,
                  "mentions_disabled": null,
                  "lfs_enabled": true,
                  "default_branch": null,
                  "default_branch_protection": 2,
                  "avatar_url": null,
                  "web_url": "http://gitlab.example.com/groups/%s",
                  "request_access_enabled": false,
                  "full_name": "%s",
                  "full_path": "%s",
                  "file_template_project_id": 1,
                  "parent_id": %s,
                  "created_at": "2020-01-15T12:36:29.590Z"
                }""".formatted(id, name, path, fullPath, name, fullPath, parentId == null ? "null" : parentId.toString());
    }

    static String project(long id, String name, String path, String namespacePath, long namespaceId, String namespaceName) {
        String full = namespacePath + "/" + path;
        return """
                {
                  "id": %d,
                  "description": "Course project",
                  "default_branch": "main",
                  "tag_list": [],
                  "archived": false,
                  "visibility": "private",
                  "ssh_url_to_repo": "git@gitlab.example.com:%s.git",
                  "http_url_to_repo": "https://gitlab.example.com/%s.git",
                  "web_url": "https://gitlab.example.com/%s",
                  "name": "%s",
                  "name_with_namespace": "%s / %s",
                  "path": "%s",
                  "path_with_namespace": "%s",
                  "issues_enabled": true,
                  "merge_requests_enabled": true,
                  "wiki_enabled": true,
                  "jobs_enabled": true,
                  "snippets_enabled": false,
                  "created_at": "2016-06-17T07:47:25.578Z",
                  "last_activity_at": "2016-06-17T07:47:25.881Z",
                  "shared_runners_enabled": true,
                  "creator_id": 1,
                  "namespace": {
                    "id": %d,
                    "name": "%s",
                    "path": "%s",
                    "kind": "group"
                  },
                  "avatar_url": null,
                  "star_count": 0,
                  "forks_count": 0,
                  "open_issues_count": 3,
                  "public_jobs": true,
                  "shared_with_groups": [],
                  "request_access_enabled": false
                }""".formatted(id, full, full, full, name, namespaceName, name, path, full, namespaceId, namespaceName,
                namespacePath.substring(namespacePath.lastIndexOf('/') + 1));
    }

    static String member(long id, String username, String name, String state, int accessLevel) {
        return """
                {
                  "id": %d,
                  "username": "%s",
                  "name": "%s",
                  "state": "%s",
                  "avatar_url": "https://www.gravatar.com/avatar/c2525a7f58ae3776070e44c106c48e15?s=80&d=identicon",
                  "web_url": "http://192.168.1.8:3000/%s",
                  "expires_at": null,
                  "access_level": %d,
                  "group_saml_identity": null
                }""".formatted(id, username, name, state, username, accessLevel);
    }

    static String array(String... items) {
        return "[" + String.join(",\n", items) + "]";
    }
}
