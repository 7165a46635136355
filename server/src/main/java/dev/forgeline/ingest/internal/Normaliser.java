package dev.forgeline.ingest.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.Participants;
import dev.forgeline.activity.ForgeEvent.Comment;
import dev.forgeline.activity.ForgeEvent.Commit;
import dev.forgeline.activity.ForgeEvent.Deployment;
import dev.forgeline.activity.ForgeEvent.Issue;
import dev.forgeline.activity.ForgeEvent.Pipeline;
import dev.forgeline.activity.ForgeEvent.PipelineJob;
import dev.forgeline.activity.ForgeEvent.PullRequest;
import dev.forgeline.activity.ForgeEvent.PullRequestSnapshot;
import dev.forgeline.activity.ForgeEvent.Push;
import dev.forgeline.activity.ForgeEvent.Release;
import dev.forgeline.activity.ForgeEvent.Repo;
import dev.forgeline.activity.ForgeEvent.Review;
import tools.jackson.databind.JsonNode;

/**
 * Forge payloads into {@link ForgeEvent}s. GitHub and Gitea/Forgejo share one payload shape; GitLab has its own.
 * An event of a kind we do not model yields nothing and is marked ignored.
 */
final class Normaliser {

    private static final Set<String> GITHUB_EVENTS = Set.of("push", "pull_request", "pull_request_review",
            "pull_request_review_comment", "issue_comment", "issues", "workflow_run", "workflow_job", "deployment",
            "deployment_status", "release");
    private static final Set<String> GITLAB_EVENTS = Set.of("Push Hook", "Tag Push Hook", "Merge Request Hook",
            "Note Hook", "Issue Hook", "Confidential Issue Hook", "Pipeline Hook", "Job Hook", "Deployment Hook", "Release Hook");

    private Normaliser() {
    }

    /**
     * A payload with a field in a shape no forge sends (an object where an id or an action belongs). Valid JSON, so
     * it was accepted; no retry can read it, so it is ignored with this reason instead of failing again and again.
     */
    static final class UnreadablePayload extends IllegalArgumentException {

        UnreadablePayload(String reason) {
            super(reason);
        }
    }

    static boolean handles(Provider provider, String eventType) {
        return provider == Provider.GITLAB ? GITLAB_EVENTS.contains(eventType) : GITHUB_EVENTS.contains(eventType);
    }

    static List<ForgeEvent> normalise(Provider provider, String eventType, JsonNode root) {
        return provider == Provider.GITLAB ? gitlab(eventType, root) : github(provider, eventType, root);
    }

    /** The repository's owner and the forge users the payload names, each once, with what it tells of them. */
    static Participants participants(Provider provider, JsonNode root) {
        Map<String, Participants.User> users = new LinkedHashMap<>();
        if (provider == Provider.GITLAB) {
            JsonNode project = root.path("project");
            String path = text(project, "path_with_namespace");
            int slash = path == null ? -1 : path.lastIndexOf('/');
            JsonNode group = root.path("group");
            Participants.Namespace owner = slash <= 0 ? null : new Participants.Namespace(path.substring(0, slash),
                    text(group, "group_id"), group.isObject() ? "group" : null, text(project, "namespace"));
            gitlabUser(users, root.path("user"));
            add(users, text(root, "user_username"), text(root, "user_id"), text(root, "user_name"), text(root, "user_email"));
            root.path("assignees").forEach(user -> gitlabUser(users, user));
            root.path("reviewers").forEach(user -> gitlabUser(users, user));
            return new Participants(owner, List.copyOf(users.values()));
        }
        JsonNode repositoryOwner = root.path("repository").path("owner");
        JsonNode organisation = root.path("organization");
        String ownerLogin = first(text(repositoryOwner, "login"), text(repositoryOwner, "username"));
        // The owner's type says it; Gitea leaves it out, and then an organisation object naming the owner does.
        String type = text(repositoryOwner, "type");
        boolean isOrganisation = type != null ? type.equals("Organization")
                : ownerLogin != null && ownerLogin.equals(first(text(organisation, "login"), text(organisation, "username")));
        Participants.Namespace owner = ownerLogin == null ? null : new Participants.Namespace(ownerLogin,
                text(repositoryOwner, "id"), isOrganisation ? "organization" : "user", first(text(repositoryOwner, "full_name"), ownerLogin));
        githubUser(users, root.path("sender"));
        for (String object : List.of("pull_request", "review", "comment", "issue", "deployment", "workflow_run", "release")) {
            JsonNode node = root.path(object);
            githubUser(users, node.path("user"));
            githubUser(users, node.path("creator"));
            githubUser(users, node.path("actor"));
            githubUser(users, node.path("author"));
            node.path("requested_reviewers").forEach(user -> githubUser(users, user));
        }
        for (JsonNode commit : root.path("commits")) {
            JsonNode author = commit.path("author");
            add(users, text(author, "username"), null, text(author, "name"), text(author, "email"));
        }
        return new Participants(owner, List.copyOf(users.values()));
    }

    /** What a push payload says a commit touched: GitHub, Gitea and GitLab list added, modified and removed paths. */
    private static List<String> files(JsonNode commit) {
        List<String> files = new ArrayList<>();
        for (String change : List.of("added", "modified", "removed")) {
            commit.path(change).forEach(path -> files.add(path.asString()));
        }
        return files;
    }

    private static void githubUser(Map<String, Participants.User> users, JsonNode user) {
        add(users, first(text(user, "login"), text(user, "username")), text(user, "id"), text(user, "full_name"), text(user, "email"));
    }

    private static void gitlabUser(Map<String, Participants.User> users, JsonNode user) {
        add(users, text(user, "username"), text(user, "id"), text(user, "name"), text(user, "email"));
    }

    /** Keeps the first mention of a login, filling in what a later mention adds; forges redact some emails. */
    private static void add(Map<String, Participants.User> users, String login, String forgeId, String name, String email) {
        if (login == null || login.isBlank()) {
            return;
        }
        String realEmail = email != null && email.contains("@") ? email : null;
        users.merge(login, new Participants.User(login, forgeId, name, realEmail), (known, more) -> new Participants.User(login,
                first(known.forgeId(), more.forgeId()), first(known.name(), more.name()), first(known.email(), more.email())));
    }

    // GitHub and Gitea/Forgejo --------------------------------------------------------------------------------

    private static List<ForgeEvent> github(Provider provider, String type, JsonNode p) {
        Repo repo = githubRepo(provider, p.path("repository"));
        String action = value(p, "action", "action");
        String sender = text(p.path("sender"), "login");
        return switch (type) {
            case "push" -> {
                List<Commit> commits = new ArrayList<>();
                for (JsonNode c : p.path("commits")) {
                    JsonNode author = c.path("author");
                    commits.add(new Commit(text(c, "id"), text(author, "name"), text(author, "email"), text(author, "username"),
                            time(c.path("timestamp")), text(c, "message"), null, null, files(c)));
                }
                Instant pushedAt = time(p.path("head_commit").path("timestamp"));
                yield List.of(new Push(repo, text(p, "ref"), text(p, "before"), text(p, "after"),
                        first(text(p.path("pusher"), "name"), text(p.path("pusher"), "login"), sender),
                        pushedAt != null ? pushedAt : time(p.path("repository").path("pushed_at")), commits));
            }
            case "pull_request" -> {
                PullRequestSnapshot pr = githubPullRequest(p.path("pull_request"));
                yield List.of(new PullRequest(repo, pr, action == null ? "edited" : action, sender, pr.updatedAt()));
            }
            case "pull_request_review" -> {
                JsonNode review = p.path("review");
                PullRequestSnapshot pr = githubPullRequest(p.path("pull_request"));
                yield List.of(new Review(repo, pr.number(), pr, text(review, "id"), text(review.path("user"), "login"),
                        lower(text(review, "state")), time(review.path("submitted_at"))));
            }
            case "pull_request_review_comment" -> {
                JsonNode comment = p.path("comment");
                yield List.of(new Comment(repo, "pull_request", text(p.path("pull_request"), "number"), text(comment, "id"),
                        text(comment.path("user"), "login"), time(comment.path("created_at"))));
            }
            case "issue_comment" -> {
                JsonNode issue = p.path("issue");
                JsonNode comment = p.path("comment");
                String kind = issue.hasNonNull("pull_request") ? "pull_request" : "issue";
                yield List.of(new Comment(repo, kind, text(issue, "number"), text(comment, "id"),
                        text(comment.path("user"), "login"), time(comment.path("created_at"))));
            }
            case "issues" -> {
                JsonNode issue = p.path("issue");
                List<String> labels = new ArrayList<>();
                issue.path("labels").forEach(label -> labels.add(text(label, "name")));
                Instant created = time(issue.path("created_at"));
                yield List.of(new Issue(repo, issue.path("number").asLong(), text(issue, "title"), lower(text(issue, "state")),
                        text(issue.path("user"), "login"), labels, created, orElse(time(issue.path("updated_at")), created),
                        time(issue.path("closed_at"))));
            }
            case "workflow_run" -> {
                JsonNode run = p.path("workflow_run");
                boolean done = "completed".equals(text(run, "status"));
                yield List.of(new Pipeline(repo, text(run, "id"), text(run, "name"), text(run, "head_branch"), text(run, "head_sha"),
                        done ? first(text(run, "conclusion"), "completed") : text(run, "status"), time(run.path("created_at")),
                        time(run.path("run_started_at")), done ? time(run.path("updated_at")) : null));
            }
            case "workflow_job" -> {
                JsonNode job = p.path("workflow_job");
                boolean done = "completed".equals(text(job, "status"));
                yield List.of(new PipelineJob(repo, text(job, "id"), text(job, "run_id"), text(job, "name"),
                        done ? first(text(job, "conclusion"), "completed") : text(job, "status"),
                        time(job.path("started_at")), done ? time(job.path("completed_at")) : null));
            }
            case "deployment", "deployment_status" -> {
                JsonNode d = p.path("deployment");
                JsonNode status = p.path("deployment_status");
                boolean isStatus = type.equals("deployment_status");
                yield List.of(new Deployment(repo, text(d, "id"), text(d, "environment"), text(d, "sha"), text(d, "ref"),
                        text(d.path("creator"), "login"), time(d.path("created_at")),
                        isStatus ? lower(text(status, "state")) : null, isStatus ? time(status.path("created_at")) : null));
            }
            case "release" -> {
                JsonNode r = p.path("release");
                yield List.of(new Release(repo, text(r, "tag_name"), text(r, "name"), time(r.path("created_at")),
                        time(r.path("published_at"))));
            }
            default -> List.of();
        };
    }

    private static Repo githubRepo(Provider provider, JsonNode r) {
        if (!r.hasNonNull("id")) {
            throw new IllegalArgumentException("payload has no repository");
        }
        return new Repo(provider.id(), value(r, "id", "repository.id"), text(r, "full_name"), text(r, "default_branch"), text(r, "html_url"));
    }

    private static PullRequestSnapshot githubPullRequest(JsonNode pr) {
        Instant created = time(pr.path("created_at"));
        Instant merged = time(pr.path("merged_at"));
        String state = merged != null || pr.path("merged").asBoolean(false) ? "merged" : lower(text(pr, "state"));
        return new PullRequestSnapshot(pr.path("number").asLong(), text(pr, "title"), text(pr.path("user"), "login"), state,
                pr.path("draft").asBoolean(false), created, orElse(time(pr.path("updated_at")), created),
                time(pr.path("closed_at")), merged, text(pr, "merge_commit_sha"), text(pr.path("head"), "ref"),
                text(pr.path("base"), "ref"), integer(pr, "additions"), integer(pr, "deletions"), integer(pr, "changed_files"));
    }

    // GitLab --------------------------------------------------------------------------------------------------

    private static List<ForgeEvent> gitlab(String type, JsonNode p) {
        JsonNode attributes = p.path("object_attributes");
        String actor = text(p.path("user"), "username");
        return switch (type) {
            case "Push Hook", "Tag Push Hook" -> {
                Repo repo = gitlabRepo(p.path("project"));
                List<Commit> commits = new ArrayList<>();
                Instant latest = null;
                for (JsonNode c : p.path("commits")) {
                    Instant at = time(c.path("timestamp"));
                    latest = latest == null || (at != null && at.isAfter(latest)) ? at : latest;
                    commits.add(new Commit(text(c, "id"), text(c.path("author"), "name"), text(c.path("author"), "email"),
                            null, at, text(c, "message"), null, null, files(c)));
                }
                yield List.of(new Push(repo, text(p, "ref"), text(p, "before"), text(p, "after"),
                        first(text(p, "user_username"), text(p, "user_name")), latest, commits));
            }
            case "Merge Request Hook" -> {
                if (!attributes.hasNonNull("iid") || (!attributes.hasNonNull("created_at") && !attributes.hasNonNull("updated_at"))) {
                    yield List.of(); // nothing names the merge request or its time: nothing to record
                }
                Repo repo = gitlabRepo(p.path("project"), attributes);
                String action = value(attributes, "action", "object_attributes.action");
                PullRequestSnapshot mr = gitlabMergeRequest(attributes, "open".equals(action) ? actor : null);
                List<ForgeEvent> out = new ArrayList<>();
                out.add(new PullRequest(repo, mr, gitlabTransition(action), actor, mr.updatedAt()));
                if ("approved".equals(action) || "approval".equals(action)) {
                    out.add(new Review(repo, mr.number(), mr, "approval:" + actor + ":" + mr.updatedAt(), actor, "approved", mr.updatedAt()));
                }
                yield out;
            }
            case "Note Hook" -> {
                Repo repo = gitlabRepo(p.path("project"));
                String kind = switch (first(text(attributes, "noteable_type"), "")) {
                    case "MergeRequest" -> "pull_request";
                    case "Issue" -> "issue";
                    case "Commit" -> "commit";
                    default -> null;
                };
                if (kind == null) {
                    yield List.of();
                }
                String target = switch (kind) {
                    case "pull_request" -> text(p.path("merge_request"), "iid");
                    case "issue" -> text(p.path("issue"), "iid");
                    default -> first(text(p.path("commit"), "id"), text(attributes, "commit_id"));
                };
                yield List.of(new Comment(repo, kind, target, text(attributes, "id"), actor, time(attributes.path("created_at"))));
            }
            case "Issue Hook", "Confidential Issue Hook" -> {
                Repo repo = gitlabRepo(p.path("project"));
                List<String> labels = new ArrayList<>();
                p.path("labels").forEach(label -> labels.add(text(label, "title")));
                Instant created = time(attributes.path("created_at"));
                Instant updated = orElse(time(attributes.path("updated_at")), created);
                String state = "closed".equals(text(attributes, "state")) ? "closed" : "open";
                yield List.of(new Issue(repo, attributes.path("iid").asLong(), text(attributes, "title"), state,
                        "open".equals(value(attributes, "action", "object_attributes.action")) ? actor : null, labels, created, updated,
                        state.equals("closed") ? orElse(time(attributes.path("closed_at")), updated) : null));
            }
            case "Pipeline Hook" -> {
                Repo repo = gitlabRepo(p.path("project"));
                yield List.of(new Pipeline(repo, text(attributes, "id"), text(attributes, "name"), text(attributes, "ref"),
                        text(attributes, "sha"), text(attributes, "status"), time(attributes.path("created_at")),
                        time(attributes.path("created_at")), time(attributes.path("finished_at"))));
            }
            case "Job Hook" -> {
                Repo repo = new Repo("gitlab", value(p, "project_id", "project_id"), first(text(p, "project_name"), text(p, "project_id")),
                        null, text(p.path("repository"), "homepage"));
                yield List.of(new PipelineJob(repo, text(p, "build_id"), text(p, "pipeline_id"), text(p, "build_name"),
                        text(p, "build_status"), time(p.path("build_started_at")), time(p.path("build_finished_at"))));
            }
            case "Deployment Hook" -> {
                Repo repo = gitlabRepo(p.path("project"));
                Instant at = time(p.path("status_changed_at"));
                yield List.of(new Deployment(repo, text(p, "deployment_id"), text(p, "environment"), text(p, "short_sha"),
                        text(p, "ref"), actor, at, text(p, "status"), at));
            }
            case "Release Hook" -> {
                Repo repo = gitlabRepo(p.path("project"));
                yield List.of(new Release(repo, text(p, "tag"), text(p, "name"), time(p.path("created_at")),
                        time(p.path("released_at"))));
            }
            default -> List.of();
        };
    }

    private static Repo gitlabRepo(JsonNode project) {
        return gitlabRepo(project, null);
    }

    /** Group-level hooks may leave the project's id out: then the merge request's target project, or the path, names it. */
    private static Repo gitlabRepo(JsonNode project, JsonNode attributes) {
        String id = first(value(project, "id", "project.id"), attributes == null ? null : text(attributes, "target_project_id"),
                text(project, "path_with_namespace"));
        if (id == null) {
            throw new IllegalArgumentException("payload has no project");
        }
        return new Repo("gitlab", id, first(text(project, "path_with_namespace"), text(project, "name")),
                text(project, "default_branch"), text(project, "web_url"));
    }

    private static PullRequestSnapshot gitlabMergeRequest(JsonNode a, String author) {
        Instant updated = orElse(time(a.path("updated_at")), time(a.path("created_at")));
        Instant created = orElse(time(a.path("created_at")), updated);
        String state = switch (first(text(a, "state"), "opened")) {
            case "merged" -> "merged";
            case "closed", "locked" -> "closed";
            default -> "open";
        };
        Instant merged = state.equals("merged") ? orElse(time(a.path("merged_at")), updated) : null;
        Instant closed = state.equals("open") ? null : orElse(time(a.path("closed_at")), updated);
        boolean draft = a.path("draft").asBoolean(false) || a.path("work_in_progress").asBoolean(false);
        return new PullRequestSnapshot(a.path("iid").asLong(), text(a, "title"), author, state, draft, created, updated,
                closed, merged, text(a, "merge_commit_sha"), text(a, "source_branch"), text(a, "target_branch"), null, null, null);
    }

    private static String gitlabTransition(String action) {
        return switch (first(action, "update")) {
            case "open" -> "opened";
            case "close" -> "closed";
            case "reopen" -> "reopened";
            case "merge" -> "merged";
            default -> action;
        };
    }

    // Reading values ------------------------------------------------------------------------------------------

    private static final DateTimeFormatter GITLAB_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");

    /** The forges' time formats: ISO-8601, GitLab's "2016-08-12 15:23:28 UTC" and "… +0200", epoch seconds. */
    static Instant time(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return Instant.ofEpochSecond(node.asLong());
        }
        String text = node.asString().strip();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notIso) {
            String normalised = text.endsWith(" UTC") ? text.substring(0, text.length() - 4) + " +0000" : text;
            try {
                return OffsetDateTime.parse(normalised, GITLAB_OFFSET).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("unreadable time '" + text + "'");
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainer() ? null : value.asString();
    }

    /** A field that must be a plain value when present: an object or an array there makes the payload unreadable. */
    private static String value(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value != null && value.isContainer()) {
            throw new UnreadablePayload(path + " is " + (value.isObject() ? "an object" : "an array") + ", not a value");
        }
        return text(node, field);
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? null : value.asInt();
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(java.util.Locale.ROOT);
    }

    private static Instant orElse(Instant value, Instant fallback) {
        return value != null ? value : fallback;
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
