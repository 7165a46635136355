package dev.forgeline.activity;

import java.time.Instant;
import java.util.List;

/**
 * A normalised forge event: GitHub, GitLab and Gitea payloads about the same kind of thing become the same
 * record. Each carries the repository it happened in and a full snapshot of its object, so that recording is
 * idempotent and order-independent.
 */
public sealed interface ForgeEvent {

    Repo repo();

    record Repo(String provider, String forgeId, String fullName, String defaultBranch, String webUrl) {
    }

    /** @param files the paths the commit added, modified or removed, where the push payload lists them */
    record Commit(String sha, String authorName, String authorEmail, String authorLogin, Instant authoredAt,
                  String message, Integer additions, Integer deletions, List<String> files) {

        public Commit {
            files = files == null ? List.of() : List.copyOf(files);
        }

        public Commit(String sha, String authorName, String authorEmail, String authorLogin, Instant authoredAt,
                      String message, Integer additions, Integer deletions) {
            this(sha, authorName, authorEmail, authorLogin, authoredAt, message, additions, deletions, List.of());
        }
    }

    record Push(Repo repo, String ref, String before, String after, String pusher, Instant pushedAt,
                List<Commit> commits) implements ForgeEvent {
    }

    /** state: open, closed or merged. */
    record PullRequestSnapshot(long number, String title, String author, String state, boolean draft,
                               Instant createdAt, Instant updatedAt, Instant closedAt, Instant mergedAt,
                               String mergeCommitSha, String headRef, String baseRef,
                               Integer additions, Integer deletions, Integer changedFiles) {
    }

    /** @param transition what happened, in GitHub's words: opened, closed, reopened, ready_for_review, review_requested, … */
    record PullRequest(Repo repo, PullRequestSnapshot pullRequest, String transition, String actor, Instant at)
            implements ForgeEvent {
    }

    record Review(Repo repo, long pullRequestNumber, PullRequestSnapshot pullRequest, String forgeId, String reviewer,
                  String state, Instant submittedAt) implements ForgeEvent {
    }

    /** targetKind: pull_request, issue or commit. */
    record Comment(Repo repo, String targetKind, String target, String forgeId, String author, Instant createdAt)
            implements ForgeEvent {
    }

    /** state: open or closed. */
    record Issue(Repo repo, long number, String title, String state, String author, List<String> labels,
                 Instant createdAt, Instant updatedAt, Instant closedAt) implements ForgeEvent {
    }

    record Pipeline(Repo repo, String forgeId, String name, String ref, String sha, String status,
                    Instant createdAt, Instant startedAt, Instant finishedAt) implements ForgeEvent {
    }

    record PipelineJob(Repo repo, String forgeId, String pipelineForgeId, String name, String status,
                       Instant startedAt, Instant finishedAt) implements ForgeEvent {
    }

    /** state and stateAt are null for the creation of a deployment, set for each of its status changes. */
    record Deployment(Repo repo, String forgeId, String environment, String sha, String ref, String creator,
                      Instant createdAt, String state, Instant stateAt) implements ForgeEvent {
    }

    record Release(Repo repo, String tag, String name, Instant createdAt, Instant publishedAt) implements ForgeEvent {
    }
}
