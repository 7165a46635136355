package dev.forgeline.activity;

import java.time.OffsetDateTime;
import java.util.List;

/** What happened in one repository, newest first, for the dashboard: the same answers as the repositories API. */
public interface RepositoryActivity {

    record Transition(String kind, OffsetDateTime at, String actor) {
    }

    record PullRequest(long number, String title, String author, String state, boolean draft, OffsetDateTime createdAt,
                       OffsetDateTime mergedAt, OffsetDateTime closedAt, Integer additions, Integer deletions,
                       List<Transition> timeline, List<String> reviewers) {
    }

    record Pipeline(String name, String ref, String sha, String status, OffsetDateTime createdAt, OffsetDateTime startedAt,
                    OffsetDateTime finishedAt) {
    }

    record DeploymentStatus(String state, OffsetDateTime at) {
    }

    record Deployment(String environment, String sha, String ref, String creator, OffsetDateTime createdAt,
                      List<DeploymentStatus> statuses) {
    }

    /** An open pull request and how long it has waited: since it was opened, or last marked ready for review. */
    record OpenPullRequest(long repositoryId, String repository, long number, String title, String author,
                           OffsetDateTime waitingSince, boolean reviewed) {
    }

    List<PullRequest> pullRequests(long repositoryId, int limit);

    /** Open, non-draft pull requests of these repositories, the longest waiting first. */
    List<OpenPullRequest> longestWaiting(java.util.Collection<Long> repositoryIds, int limit);

    List<Pipeline> pipelines(long repositoryId, int limit);

    List<Deployment> deployments(long repositoryId, int limit);
}
