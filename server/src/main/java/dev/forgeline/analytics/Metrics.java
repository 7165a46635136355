package dev.forgeline.analytics;

import java.time.LocalDate;
import java.util.List;

/**
 * Engineering metrics of an organisation, read from precomputed rows. Definitions: docs/metrics.md. Times are
 * in hours; rates in [0, 1]; a value that has no sample (no merged PR, no deployment) is null.
 * Each call answers {@link IllegalArgumentException} for a filter that makes no sense (the message says why)
 * and {@link java.util.NoSuchElementException} for a team, person or repository not in the organisation.
 */
public interface Metrics {

    /**
     * What to measure: at most one of team and person (account id), optionally one repository, and a window of
     * days (inclusive, in the analytics time zone); from and to may be null (the last 28 days up to today).
     */
    record Filter(Long teamId, Long personId, Long repositoryId, LocalDate from, LocalDate to) {

        public static Filter organisation() {
            return new Filter(null, null, null, null, null);
        }
    }

    record Window(LocalDate from, LocalDate to) {
    }

    record Summary(Window window, int prsOpened, int prsMerged, Integer prsClosedUnmerged, Double avgTimeToMergeHours,
                   Double avgPrSizeLines, int prsReviewed, int reviewsGiven, int reviewsReceived, Double avgReviewResponseHours,
                   Double firstReviewByOthersRate, Integer selfMergesWithoutReview, int commits, long additions, long deletions,
                   int comments, Integer deployments) {
    }

    record Span(int samples, Double medianHours, Double averageHours) {
    }

    /** DevLake's cycle time of the PRs merged in the window, and each of its four parts. */
    record CycleTime(Window window, int mergedPullRequests, Span coding, Span pickup, Span review, Span deploy, Span cycle,
                     Span timeToMerge) {
    }

    enum Band { ELITE, HIGH, MEDIUM, LOW }

    record Dora(Window window, int deployments, int deploymentDays, double medianDeploymentDaysPerWeek, Band frequencyBand,
                Double leadTimeForChangesHours, int deployedPullRequests, Double changeFailureRate, int failedDeployments,
                Double failedDeploymentRecoveryHours, int incidents) {
    }

    record Day(LocalDate day, int prsOpened, int prsMerged, int prsReviewed, Double avgMergeHours, long additions,
               long deletions, int commits, int reviewsGiven, int comments) {
    }

    /** The Delivery Reliability Score, 0–100, with the four components (each 0–1) it is made of. */
    record Score(double score, double mergeConsistency, double reviewParticipation, double mergeTimeEfficiency,
                 double activityStability) {
    }

    record PersonScore(long accountId, String username, Score score) {
    }

    /** Over the 8 weeks ending at the window's end; the subject's score is the mean of its people's. */
    record Reliability(Window window, Score score, List<PersonScore> people) {
    }

    Summary summary(long organisationId, Filter filter);

    CycleTime cycleTime(long organisationId, Filter filter);

    Dora dora(long organisationId, Filter filter);

    List<Day> daily(long organisationId, Filter filter);

    Reliability reliability(long organisationId, Filter filter);

    /** The organisation's alerts, newest first: open ones only, or resolved ones too. */
    List<Alert> alerts(long organisationId, boolean includeResolved, int limit, int offset);
}
