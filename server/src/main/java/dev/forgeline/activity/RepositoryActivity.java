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

    List<PullRequest> pullRequests(long repositoryId, int limit);

    List<Pipeline> pipelines(long repositoryId, int limit);

    List<Deployment> deployments(long repositoryId, int limit);
}
