package dev.forgeline.analytics.internal;

import java.time.Instant;

/** The facts analytics keeps of its own, as rows of its tables. */
final class Facts {

    private Facts() {
    }

    record PullRequestFact(long repositoryId, long number, String author, String state, boolean draft, Instant snapshotAt,
                           Instant createdAt, Instant mergedAt, Instant closedAt, String mergedBy, String mergeSha,
                           String headRef, Integer additions, Integer deletions, Instant firstCommitAt,
                           Instant firstResponseAt, Instant firstReviewAt, Instant deployedAt) {

        boolean merged() {
            return state.equals("merged") && mergedAt != null;
        }

        PullRequestFact withDerived(Instant firstCommit, Instant firstResponse, Instant firstReview, Instant deployed) {
            return new PullRequestFact(repositoryId, number, author, state, draft, snapshotAt, createdAt, mergedAt, closedAt,
                    mergedBy, mergeSha, headRef, additions, deletions, firstCommit, firstResponse, firstReview, deployed);
        }
    }

    /** kind: review or comment. prAuthor is known for reviews (their payload carries the pull request). */
    record ResponseFact(long repositoryId, long number, String kind, String actor, String prAuthor, Instant at) {
    }

    record ReviewerFact(long repositoryId, long number, String reviewer, Instant firstAt) {
    }

    record CommitFact(long repositoryId, String actor, Instant authoredAt, int additions, int deletions) {
    }

    record DeploymentFact(long repositoryId, String source, String forgeId, String environment, Instant finishedAt,
                          boolean production, int incidentCount) {

        boolean counts() {
            return production && finishedAt != null;
        }
    }

    static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isBefore(b) ? a : b);
    }
}
