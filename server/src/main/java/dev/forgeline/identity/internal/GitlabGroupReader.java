package dev.forgeline.identity.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import dev.forgeline.platform.OutboundAddresses;
import dev.forgeline.platform.OutboundAddresses.RefusedAddressException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a GitLab group through the REST API v4: the group, its descendant subgroups, and each subgroup's own projects
 * and members (inherited ones included, as {@code members/all} gives them). Everything is read before anything is
 * applied, so a refusal or an outage part way leaves the organisation as it was.
 */
@Component
class GitlabGroupReader {

    static final String DEFAULT_BASE_URL = "https://gitlab.com";
    /** A bound on pages per list: 100 items a page, far beyond any course or company group. */
    private static final int MAX_PAGES = 500;
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final JsonMapper json;
    private final OutboundAddresses outbound;

    GitlabGroupReader(JsonMapper json, OutboundAddresses outbound) {
        this.json = json;
        this.outbound = outbound;
    }

    record Group(String id, String name, String path, String fullPath) {
    }

    record Project(String id, String pathWithNamespace, String defaultBranch, String webUrl) {
    }

    /** accessLevel: 10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner. */
    record Member(String id, String username, String name, int accessLevel) {
    }

    record Subgroup(Group group, List<Project> projects, List<Member> members) {
    }

    record GroupTree(Group root, List<Subgroup> subgroups) {
    }

    /** GitLab refused or failed; the message is for the admin and holds no secret. */
    static final class GitlabApiException extends Exception {
        GitlabApiException(String message) {
            super(message);
        }
    }

    /**
     * @param group the group's full path ({@code course/2026}) or numeric id
     */
    GroupTree read(String baseUrl, String token, String group) throws GitlabApiException {
        String api = apiRoot(baseUrl);
        JsonNode root = getOne(api, token, "/groups/" + URLEncoder.encode(group, StandardCharsets.UTF_8) + "?with_projects=false",
                "group '" + group + "'");
        Group top = group(root);
        List<Subgroup> subgroups = new ArrayList<>();
        for (JsonNode node : getAll(api, token, "/groups/" + top.id() + "/descendant_groups?per_page=100", "the subgroups of " + top.fullPath())) {
            Group sub = group(node);
            List<Project> projects = new ArrayList<>();
            for (JsonNode p : getAll(api, token, "/groups/" + sub.id() + "/projects?per_page=100&with_shared=false",
                    "the projects of " + sub.fullPath())) {
                projects.add(new Project(text(p, "id"), text(p, "path_with_namespace"), text(p, "default_branch"), text(p, "web_url")));
            }
            List<Member> members = new ArrayList<>();
            for (JsonNode m : getAll(api, token, "/groups/" + sub.id() + "/members/all?per_page=100", "the members of " + sub.fullPath())) {
                // Blocked accounts and invitations still awaiting a sign-up are not people who work in the team.
                if (text(m, "username") != null && "active".equals(text(m, "state"))) {
                    members.add(new Member(text(m, "id"), text(m, "username"), text(m, "name"), m.path("access_level").asInt(0)));
                }
            }
            subgroups.add(new Subgroup(sub, projects, members));
        }
        return new GroupTree(top, subgroups);
    }

    /** The API root of a GitLab instance, or an {@link IllegalArgumentException} saying what is wrong with the address. */
    static String apiRoot(String baseUrl) {
        String base = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip();
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the connection's base URL '" + base + "' is not a URL");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("the connection's base URL '" + base + "' must be an http or https address");
        }
        return base.replaceAll("/+$", "") + "/api/v4";
    }

    private static Group group(JsonNode node) {
        return new Group(text(node, "id"), text(node, "name"), text(node, "path"), text(node, "full_path"));
    }

    private JsonNode getOne(String api, String token, String path, String what) throws GitlabApiException {
        JsonNode node;
        try {
            node = json.readTree(get(api + path, token, what).body());
        } catch (JacksonException e) {
            throw new GitlabApiException("GitLab answered " + what + " with something that is not JSON");
        }
        if (text(node, "id") == null) {
            throw new GitlabApiException("GitLab answered " + what + " without its id");
        }
        return node;
    }

    /** Every page of a list: the {@code Link: rel="next"} address where GitLab gives one, else {@code X-Next-Page}. */
    private List<JsonNode> getAll(String api, String token, String path, String what) throws GitlabApiException {
        List<JsonNode> items = new ArrayList<>();
        String url = api + path;
        for (int page = 1; url != null; page++) {
            if (page > MAX_PAGES) {
                throw new GitlabApiException("GitLab listed more than " + MAX_PAGES + " pages of " + what);
            }
            HttpResponse<String> answer = get(url, token, what);
            JsonNode list;
            try {
                list = json.readTree(answer.body());
            } catch (JacksonException e) {
                throw new GitlabApiException("GitLab answered " + what + " with something that is not JSON");
            }
            if (!list.isArray()) {
                throw new GitlabApiException("GitLab answered " + what + " with something that is not a list");
            }
            list.forEach(items::add);
            url = next(api, url, answer);
        }
        return items;
    }

    private static String next(String api, String current, HttpResponse<String> answer) {
        for (String link : answer.headers().allValues("Link")) {
            Matcher matcher = NEXT_LINK.matcher(link);
            // Only an address on the same GitLab: the token goes with every request.
            if (matcher.find() && matcher.group(1).startsWith(api + "/")) {
                return matcher.group(1);
            }
        }
        String nextPage = answer.headers().firstValue("X-Next-Page").orElse("").strip();
        if (!nextPage.matches("\\d+")) {
            return null;
        }
        String withoutPage = current.replaceAll("([?&])page=\\d+&?", "$1").replaceAll("[?&]$", "");
        return withoutPage + (withoutPage.contains("?") ? "&" : "?") + "page=" + nextPage;
    }

    private HttpResponse<String> get(String url, String token, String what) throws GitlabApiException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("PRIVATE-TOKEN", token).header("Accept", "application/json").GET().build();
        HttpResponse<String> answer;
        try {
            // Checked before every page: a Link header or a changed DNS answer must not lead inside the network.
            outbound.check(request.uri());
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (RefusedAddressException e) {
            throw new GitlabApiException("GitLab at " + url.substring(0, url.indexOf("/api/v4")) + " was not requested: " + e.getMessage());
        } catch (IOException e) {
            throw new GitlabApiException("GitLab at " + url.substring(0, url.indexOf("/api/v4")) + " could not be reached: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitlabApiException("reading " + what + " from GitLab was interrupted");
        }
        int status = answer.statusCode();
        return switch (status / 100) {
            case 2 -> answer;
            case 4 -> throw new GitlabApiException(switch (status) {
                case 401 -> "GitLab refused the connection's API token (401): it is wrong, expired or revoked";
                case 403 -> "GitLab denied the connection's API token access to " + what + " (403): it needs the read_api scope";
                case 404 -> "GitLab has no " + what + " that the connection's API token can see (404)";
                case 429 -> "GitLab rate-limited the import (429) while reading " + what + ": it is tried again at the next sync";
                default -> "GitLab answered " + status + " when asked for " + what;
            });
            case 5 -> throw new GitlabApiException("GitLab failed (" + status + ") when asked for " + what
                    + ": it is tried again at the next sync");
            default -> throw new GitlabApiException("GitLab answered " + status + " when asked for " + what);
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainer() ? null : value.asString();
    }
}
