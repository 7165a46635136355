package dev.forgeline.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.forgeline.demo.ForgeHistory.Person;
import dev.forgeline.demo.ForgeHistory.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes history events as the forges write their webhook payloads: GitHub's shapes (which Gitea and Forgejo
 * share) or GitLab's, with the fields GitHub's and GitLab's documented examples carry for each event.
 */
final class PayloadWriter {

    record Payload(String event, byte[] body) {
    }

    record Commit(String sha, String message, Person author, Instant at, int additions, int deletions) {
    }

    record PullRequest(long number, String title, Person author, String branch, Instant createdAt, int additions, int deletions,
                       int commits) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter GITLAB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final boolean gitlab;
    private final String host;

    PayloadWriter(String provider, String owner) {
        this.gitlab = provider.equals("gitlab");
        this.host = gitlab ? "https://gitlab.example.com" : provider.equals("gitea") ? "https://gitea.example.com" : "https://github.com";
    }

    Payload push(Repository repository, String ref, Person pusher, List<Commit> commits, Instant at) {
        ObjectNode p = NODES.objectNode();
        String after = commits.getLast().sha();
        p.put("ref", ref).put("before", "0000000000000000000000000000000000000000").put("after", after);
        ArrayNode list = p.putArray("commits");
        for (Commit c : commits) {
            ObjectNode commit = list.addObject();
            commit.put("id", c.sha()).put("message", c.message()).put("timestamp", time(c.at()))
                    .put("url", web(repository) + "/commit/" + c.sha());
            ObjectNode author = commit.putObject("author").put("name", c.author().name()).put("email", c.author().email());
            if (!gitlab) {
                author.put("username", c.author().login());
                commit.put("distinct", true);
            }
            commit.putArray("added");
            commit.putArray("modified").add("src/" + c.sha().substring(0, 6) + ".java");
            commit.putArray("removed");
        }
        if (gitlab) {
            p.put("object_kind", "push").put("event_name", "push").put("checkout_sha", after)
                    .put("user_id", pusher.forgeId()).put("user_name", pusher.name()).put("user_username", pusher.login())
                    .put("user_email", pusher.email()).put("project_id", repository.forgeId()).put("total_commits_count", commits.size());
            p.set("project", project(repository));
            return payload("Push Hook", p);
        }
        p.put("created", false).put("deleted", false).put("forced", false).put("compare", web(repository) + "/compare/" + after);
        p.set("head_commit", list.get(list.size() - 1).deepCopy());
        p.putObject("pusher").put("name", pusher.login()).put("email", pusher.email());
        p.set("repository", repository(repository).put("pushed_at", at.getEpochSecond()));
        p.set("sender", user(pusher));
        return payload("push", p);
    }

    Payload pullRequest(Repository repository, PullRequest pr, String action, Person actor, Instant at, String mergeSha, boolean merged) {
        boolean closing = action.equals("closed");
        if (gitlab) {
            ObjectNode p = gitlabEnvelope("merge_request", repository, actor);
            ObjectNode a = p.putObject("object_attributes");
            a.put("id", 40_000_000L + repository.forgeId() % 10_000 * 100_000 + pr.number()).put("iid", pr.number())
                    .put("title", pr.title()).put("author_id", pr.author().forgeId())
                    .put("source_branch", pr.branch()).put("target_branch", "main")
                    .put("source_project_id", repository.forgeId()).put("target_project_id", repository.forgeId())
                    .put("created_at", gitlabTime(pr.createdAt())).put("updated_at", gitlabTime(at))
                    .put("state", closing ? (merged ? "merged" : "closed") : "opened")
                    .put("action", closing ? (merged ? "merge" : "close") : "open")
                    .put("merge_status", "can_be_merged").put("draft", false).put("work_in_progress", false)
                    .put("url", web(repository) + "/-/merge_requests/" + pr.number());
            if (merged) {
                a.put("merge_commit_sha", mergeSha).put("merged_at", gitlabTime(at));
            }
            if (closing) {
                a.put("closed_at", gitlabTime(at));
            }
            return payload("Merge Request Hook", p);
        }
        ObjectNode p = NODES.objectNode().put("action", action).put("number", pr.number());
        ObjectNode node = p.putObject("pull_request");
        node.put("url", api(repository) + "/pulls/" + pr.number()).put("id", 200_000_000L + repository.forgeId() % 10_000 * 100_000 + pr.number())
                .put("html_url", web(repository) + "/pull/" + pr.number()).put("number", pr.number())
                .put("state", closing ? "closed" : "open").put("locked", false).put("title", pr.title());
        node.set("user", user(pr.author()));
        node.put("body", "Closes nothing yet.").put("created_at", time(pr.createdAt())).put("updated_at", time(at))
                .putNull("closed_at").putNull("merged_at").putNull("merge_commit_sha");
        if (closing) {
            node.put("closed_at", time(at));
        }
        if (merged) {
            node.put("merged_at", time(at)).put("merge_commit_sha", mergeSha);
            node.set("merged_by", user(actor));
        }
        node.putArray("requested_reviewers");
        node.putObject("head").put("label", repository.fullName().split("/")[0] + ":" + pr.branch()).put("ref", pr.branch());
        node.putObject("base").put("label", repository.fullName().split("/")[0] + ":main").put("ref", "main");
        node.put("draft", false).put("merged", merged).put("comments", 0).put("review_comments", 0)
                .put("commits", pr.commits()).put("additions", pr.additions()).put("deletions", pr.deletions())
                .put("changed_files", pr.commits());
        p.set("repository", repository(repository));
        p.set("sender", user(actor == null ? pr.author() : actor));
        return payload("pull_request", p);
    }

    Payload review(Repository repository, PullRequest pr, Person reviewer, String state, Instant at, long id) {
        if (gitlab) {
            // GitLab reports an approval as a merge request event with the action "approved".
            ObjectNode p = gitlabEnvelope("merge_request", repository, reviewer);
            ObjectNode a = p.putObject("object_attributes");
            a.put("iid", pr.number()).put("title", pr.title()).put("source_branch", pr.branch()).put("target_branch", "main")
                    .put("target_project_id", repository.forgeId())
                    .put("created_at", gitlabTime(pr.createdAt())).put("updated_at", gitlabTime(at))
                    .put("state", "opened").put("action", state.equals("approved") ? "approved" : "update");
            return payload("Merge Request Hook", p);
        }
        ObjectNode p = NODES.objectNode().put("action", "submitted");
        ObjectNode review = p.putObject("review");
        review.put("id", 700_000_000L + id);
        review.set("user", user(reviewer));
        review.put("body", state.equals("approved") ? "Looks good." : "A few things to change.").put("state", state)
                .put("submitted_at", time(at)).put("html_url", web(repository) + "/pull/" + pr.number() + "#pullrequestreview-" + id);
        ObjectNode node = p.putObject("pull_request");
        node.put("number", pr.number()).put("state", "open").put("title", pr.title()).put("created_at", time(pr.createdAt()))
                .put("updated_at", time(at)).putNull("closed_at").putNull("merged_at").put("draft", false);
        node.set("user", user(pr.author()));
        node.putObject("head").put("ref", pr.branch());
        node.putObject("base").put("ref", "main");
        p.set("repository", repository(repository));
        p.set("sender", user(reviewer));
        return payload("pull_request_review", p);
    }

    Payload comment(Repository repository, PullRequest pr, Person author, Instant at, long id) {
        if (gitlab) {
            ObjectNode p = gitlabEnvelope("note", repository, author);
            p.putObject("object_attributes").put("id", 800_000_000L + id).put("note", "Question about this change.")
                    .put("noteable_type", "MergeRequest").put("created_at", gitlabTime(at)).put("updated_at", gitlabTime(at));
            p.putObject("merge_request").put("iid", pr.number()).put("title", pr.title());
            return payload("Note Hook", p);
        }
        ObjectNode p = NODES.objectNode().put("action", "created");
        ObjectNode issue = p.putObject("issue");
        issue.put("number", pr.number()).put("title", pr.title()).put("state", "open");
        issue.putObject("pull_request").put("url", api(repository) + "/pulls/" + pr.number());
        issue.set("user", user(pr.author()));
        ObjectNode comment = p.putObject("comment");
        comment.put("id", 800_000_000L + id).put("body", "Question about this change.").put("created_at", time(at)).put("updated_at", time(at));
        comment.set("user", user(author));
        p.set("repository", repository(repository));
        p.set("sender", user(author));
        return payload("issue_comment", p);
    }

    Payload issue(Repository repository, long number, String title, Person actor, List<String> labels, Instant opened, Instant closed) {
        Instant at = closed != null ? closed : opened;
        if (gitlab) {
            ObjectNode p = gitlabEnvelope("issue", repository, actor);
            p.putObject("object_attributes").put("id", 600_000_000L + repository.forgeId() % 10_000 * 100_000 + number)
                    .put("iid", number).put("title", title).put("state", closed != null ? "closed" : "opened")
                    .put("action", closed != null ? "close" : "open").put("created_at", gitlabTime(opened))
                    .put("updated_at", gitlabTime(at)).put("closed_at", closed == null ? null : gitlabTime(closed));
            ArrayNode list = p.putArray("labels");
            labels.forEach(label -> list.addObject().put("title", label).put("type", "ProjectLabel"));
            return payload("Issue Hook", p);
        }
        ObjectNode p = NODES.objectNode().put("action", closed != null ? "closed" : "opened");
        ObjectNode issue = p.putObject("issue");
        issue.put("id", 600_000_000L + repository.forgeId() % 10_000 * 100_000 + number).put("number", number).put("title", title)
                .put("state", closed != null ? "closed" : "open").put("created_at", time(opened)).put("updated_at", time(at))
                .put("closed_at", closed == null ? null : time(closed)).put("html_url", web(repository) + "/issues/" + number);
        issue.set("user", user(actor));
        ArrayNode list = issue.putArray("labels");
        labels.forEach(label -> list.addObject().put("name", label));
        p.set("repository", repository(repository));
        p.set("sender", user(actor));
        return payload("issues", p);
    }

    Payload pipeline(Repository repository, long id, String ref, String sha, Person actor, Instant started, Instant finished, String result) {
        if (gitlab) {
            ObjectNode p = gitlabEnvelope("pipeline", repository, actor);
            p.putObject("object_attributes").put("id", id).put("name", "CI").put("ref", ref).put("sha", sha)
                    .put("status", result.equals("success") ? "success" : "failed").put("source", "push")
                    .put("created_at", gitlabTime(started)).put("finished_at", gitlabTime(finished))
                    .put("duration", finished.getEpochSecond() - started.getEpochSecond());
            return payload("Pipeline Hook", p);
        }
        ObjectNode p = NODES.objectNode().put("action", "completed");
        ObjectNode run = p.putObject("workflow_run");
        run.put("id", id).put("name", "CI").put("head_branch", ref).put("head_sha", sha).put("event", "push")
                .put("status", "completed").put("conclusion", result).put("created_at", time(started))
                .put("run_started_at", time(started)).put("updated_at", time(finished))
                .put("html_url", web(repository) + "/actions/runs/" + id);
        run.set("actor", user(actor));
        p.set("repository", repository(repository));
        p.set("sender", user(actor));
        return payload("workflow_run", p);
    }

    /** A deployment's creation (state null) or one of its status changes. */
    Payload deployment(Repository repository, long id, String sha, Person creator, Instant created, String state, Instant at) {
        if (gitlab) {
            ObjectNode p = NODES.objectNode().put("object_kind", "deployment").put("deployment_id", id)
                    .put("status", state == null ? "running" : state.equals("success") ? "success" : "failed")
                    .put("status_changed_at", gitlabTime(at == null ? created : at)).put("environment", "production")
                    .put("short_sha", sha.substring(0, 8)).put("ref", "main");
            p.set("project", project(repository));
            p.set("user", gitlabUser(creator));
            return payload("Deployment Hook", p);
        }
        ObjectNode p = NODES.objectNode();
        ObjectNode deployment = p.putObject("deployment");
        deployment.put("id", id).put("sha", sha).put("ref", "main").put("task", "deploy").put("environment", "production")
                .put("created_at", time(created)).put("updated_at", time(at == null ? created : at));
        deployment.set("creator", user(creator));
        if (state != null) {
            p.put("action", "created");
            p.putObject("deployment_status").put("id", id * 10 + 1).put("state", state).put("created_at", time(at))
                    .put("environment", "production");
        } else {
            p.put("action", "created");
        }
        p.set("repository", repository(repository));
        p.set("sender", user(creator));
        return payload(state == null ? "deployment" : "deployment_status", p);
    }

    // Shapes shared by several events -------------------------------------------------------------------------

    private ObjectNode repository(Repository repository) {
        String[] owner = repository.fullName().split("/", 2);
        ObjectNode r = NODES.objectNode();
        r.put("id", repository.forgeId()).put("name", owner[1]).put("full_name", repository.fullName()).put("private", true);
        r.putObject("owner").put("login", owner[0]).put("id", 5_000_000L + Math.abs(owner[0].hashCode() % 1_000_000))
                .put("type", "Organization");
        r.put("html_url", web(repository)).put("default_branch", "main").put("url", api(repository));
        return r;
    }

    private static ObjectNode user(Person person) {
        return NODES.objectNode().put("login", person.login()).put("id", person.forgeId()).put("type", "User").put("site_admin", false);
    }

    private ObjectNode project(Repository repository) {
        ObjectNode project = NODES.objectNode();
        project.put("id", repository.forgeId()).put("name", repository.fullName().substring(repository.fullName().indexOf('/') + 1))
                .put("path_with_namespace", repository.fullName()).put("namespace", repository.fullName().split("/")[0])
                .put("default_branch", "main").put("web_url", web(repository)).put("visibility_level", 0);
        return project;
    }

    private static ObjectNode gitlabUser(Person person) {
        return NODES.objectNode().put("id", person.forgeId()).put("name", person.name()).put("username", person.login())
                .put("email", person.email());
    }

    private ObjectNode gitlabEnvelope(String kind, Repository repository, Person user) {
        ObjectNode p = NODES.objectNode().put("object_kind", kind).put("event_type", kind);
        p.set("user", gitlabUser(user));
        p.set("project", project(repository));
        return p;
    }

    private String web(Repository repository) {
        return host + "/" + repository.fullName();
    }

    private String api(Repository repository) {
        return (gitlab ? host + "/api/v4/projects/" + repository.forgeId() : host.replace("https://", "https://api.") + "/repos/" + repository.fullName());
    }

    private static String time(Instant at) {
        return at.toString();
    }

    private static String gitlabTime(Instant at) {
        return GITLAB_TIME.format(at);
    }

    private static Payload payload(String event, ObjectNode body) {
        return new Payload(event, JSON.writeValueAsBytes(body));
    }
}
