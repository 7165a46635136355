package dev.forgeline.analytics.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import dev.forgeline.analytics.internal.Facts.CommitFact;
import dev.forgeline.analytics.internal.Facts.DeploymentFact;
import dev.forgeline.analytics.internal.Facts.PullRequestFact;
import dev.forgeline.analytics.internal.Facts.ResponseFact;
import dev.forgeline.analytics.internal.Facts.ReviewerFact;
import dev.forgeline.analytics.internal.Tally.P;
import dev.forgeline.analytics.internal.Tally.R;

/**
 * What one fact adds to the daily aggregates (sign +1) or takes away (sign -1). The cycle-time spans follow
 * DevLake's definitions, with negative spans clamped to zero (docs/metrics.md).
 */
final class Contributions {

    private final ZoneId zone;

    Contributions(ZoneId zone) {
        this.zone = zone;
    }

    LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, zone);
    }

    static long seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds());
    }

    /** The pull request's cycle-time spans in seconds; null where a span has no start or end. */
    record Spans(Long coding, Long pickup, Long review, Long deploy, long cycle, long merge) {
    }

    static Spans spans(PullRequestFact pr) {
        Instant created = pr.createdAt();
        Instant merged = pr.mergedAt();
        // A first answer after the merge did not pick up the review: the PR counts as never picked up.
        Instant response = pr.firstResponseAt() != null && !pr.firstResponseAt().isAfter(merged) ? pr.firstResponseAt() : null;
        Instant responseOrCreated = response == null ? null : (response.isBefore(created) ? created : response);
        Long coding = pr.firstCommitAt() == null ? null : seconds(pr.firstCommitAt(), created);
        Long pickup = responseOrCreated == null ? null : seconds(created, responseOrCreated);
        Long review = responseOrCreated == null ? null : seconds(responseOrCreated, merged);
        Long deploy = pr.deployedAt() == null ? null : seconds(merged, pr.deployedAt());
        Instant start = Facts.earliest(pr.firstCommitAt(), created);
        Instant end = pr.deployedAt() != null ? pr.deployedAt() : merged;
        return new Spans(coding, pickup, review, deploy, seconds(start, end), seconds(created, merged));
    }

    /** DORA's lead time for changes of a deployed pull request: its first commit (else its opening) to its deployment. */
    static Long lead(PullRequestFact pr) {
        if (pr.deployedAt() == null) {
            return null;
        }
        Instant start = pr.firstCommitAt() != null ? pr.firstCommitAt() : pr.createdAt();
        return seconds(Facts.earliest(start, pr.deployedAt()), pr.deployedAt());
    }

    void add(Tally t, PullRequestFact pr, int sign) {
        if (pr == null) {
            return;
        }
        long repo = pr.repositoryId();
        LocalDate opened = day(pr.createdAt());
        t.repository(repo, opened, R.PRS_OPENED, sign);
        t.person(pr.author(), repo, opened, P.PRS_OPENED, sign);
        if (pr.merged()) {
            LocalDate day = day(pr.mergedAt());
            Spans s = spans(pr);
            t.repository(repo, day, R.PRS_MERGED, sign);
            t.repository(repo, day, R.MERGE_SECONDS, sign * s.merge());
            t.repository(repo, day, R.SIZE_LINES, sign * (long) (value(pr.additions()) + value(pr.deletions())));
            if (s.coding() != null) {
                t.repository(repo, day, R.CODING_SECONDS, sign * s.coding());
                t.repository(repo, day, R.CODING_COUNT, sign);
            }
            if (s.pickup() != null) {
                t.repository(repo, day, R.PICKUP_SECONDS, sign * s.pickup());
                t.repository(repo, day, R.PICKUP_COUNT, sign);
                t.repository(repo, day, R.REVIEW_SECONDS, sign * s.review());
                t.repository(repo, day, R.REVIEW_COUNT, sign);
            }
            if (s.deploy() != null) {
                t.repository(repo, day, R.DEPLOY_SECONDS, sign * s.deploy());
                t.repository(repo, day, R.DEPLOY_COUNT, sign);
            }
            t.repository(repo, day, R.CYCLE_SECONDS, sign * s.cycle());
            boolean reviewed = pr.firstReviewAt() != null && !pr.firstReviewAt().isAfter(pr.mergedAt());
            t.repository(repo, day, R.REVIEWED_BY_OTHERS, reviewed ? sign : 0);
            boolean selfMerged = pr.author() != null && pr.author().equals(pr.mergedBy());
            t.repository(repo, day, R.SELF_MERGED_UNREVIEWED, selfMerged && !reviewed ? sign : 0);
            t.person(pr.author(), repo, day, P.PRS_MERGED, sign);
            t.person(pr.author(), repo, day, P.MERGE_SECONDS, sign * s.merge());
        } else if (pr.state().equals("closed") && pr.closedAt() != null) {
            t.repository(repo, day(pr.closedAt()), R.PRS_CLOSED, sign);
        }
    }

    void add(Tally t, ResponseFact r, int sign) {
        LocalDate day = day(r.at());
        if (r.kind().equals("review")) {
            if (r.actor().equals(r.prAuthor())) {
                return; // reviewing one's own pull request is neither given nor received
            }
            t.person(r.actor(), r.repositoryId(), day, P.REVIEWS_GIVEN, sign);
            t.person(r.prAuthor(), r.repositoryId(), day, P.REVIEWS_RECEIVED, sign);
            t.repository(r.repositoryId(), day, R.REVIEWS, sign);
        } else {
            t.person(r.actor(), r.repositoryId(), day, P.COMMENTS, sign);
            t.repository(r.repositoryId(), day, R.COMMENTS, sign);
        }
    }

    void add(Tally t, ReviewerFact r, int sign) {
        if (r != null) {
            t.person(r.reviewer(), r.repositoryId(), day(r.firstAt()), P.PRS_REVIEWED, sign);
            t.repository(r.repositoryId(), day(r.firstAt()), R.PRS_REVIEWED, sign);
        }
    }

    void add(Tally t, CommitFact c, int sign) {
        LocalDate day = day(c.authoredAt());
        t.person(c.actor(), c.repositoryId(), day, P.COMMITS, sign);
        t.person(c.actor(), c.repositoryId(), day, P.ADDITIONS, sign * (long) c.additions());
        t.person(c.actor(), c.repositoryId(), day, P.DELETIONS, sign * (long) c.deletions());
        t.repository(c.repositoryId(), day, R.COMMITS, sign);
        t.repository(c.repositoryId(), day, R.ADDITIONS, sign * (long) c.additions());
        t.repository(c.repositoryId(), day, R.DELETIONS, sign * (long) c.deletions());
    }

    void add(Tally t, DeploymentFact d, int sign) {
        if (d == null || !d.counts()) {
            return;
        }
        LocalDate day = day(d.finishedAt());
        t.repository(d.repositoryId(), day, R.DEPLOYMENTS, sign);
        t.repository(d.repositoryId(), day, R.FAILED_DEPLOYMENTS, d.incidentCount() > 0 ? sign : 0);
    }

    private static int value(Integer i) {
        return i == null ? 0 : i;
    }
}
