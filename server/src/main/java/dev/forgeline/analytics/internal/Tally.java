package dev.forgeline.analytics.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.Map;

/**
 * Sums of daily aggregate columns by key ({@link #weekly} gives them per week). The incremental path adds a fact's
 * new contribution and subtracts its old one; the full recompute adds every fact once. Both use {@link Contributions},
 * so they agree.
 */
final class Tally {

    record PersonDay(String actor, long repositoryId, LocalDate day) {
    }

    record RepositoryDay(long repositoryId, LocalDate day) {
    }

    enum P { PRS_OPENED, PRS_MERGED, MERGE_SECONDS, PRS_REVIEWED, REVIEWS_GIVEN, REVIEWS_RECEIVED, COMMENTS, COMMITS, ADDITIONS, DELETIONS }

    enum R {
        PRS_OPENED, PRS_MERGED, PRS_CLOSED, MERGE_SECONDS, SIZE_LINES, CODING_SECONDS, CODING_COUNT, PICKUP_SECONDS,
        PICKUP_COUNT, REVIEW_SECONDS, REVIEW_COUNT, DEPLOY_SECONDS, DEPLOY_COUNT, CYCLE_SECONDS, REVIEWED_BY_OTHERS,
        SELF_MERGED_UNREVIEWED, REVIEWS, COMMITS, DEPLOYMENTS, FAILED_DEPLOYMENTS, PRS_REVIEWED, ADDITIONS, DELETIONS, COMMENTS
    }

    final Map<PersonDay, long[]> people = new HashMap<>();
    final Map<RepositoryDay, long[]> repositories = new HashMap<>();

    void person(String actor, long repositoryId, LocalDate day, P column, long value) {
        if (actor == null || value == 0) {
            return;
        }
        people.computeIfAbsent(new PersonDay(actor, repositoryId, day), k -> new long[P.values().length])[column.ordinal()] += value;
    }

    void repository(long repositoryId, LocalDate day, R column, long value) {
        if (value == 0) {
            return;
        }
        repositories.computeIfAbsent(new RepositoryDay(repositoryId, day), k -> new long[R.values().length])[column.ordinal()] += value;
    }

    /** The same sums per week: each day's row added to the row of its week's Monday. */
    Tally weekly() {
        Tally weeks = new Tally();
        people.forEach((k, v) -> add(weeks.people.computeIfAbsent(new PersonDay(k.actor(), k.repositoryId(), monday(k.day())),
                x -> new long[v.length]), v));
        repositories.forEach((k, v) -> add(weeks.repositories.computeIfAbsent(new RepositoryDay(k.repositoryId(), monday(k.day())),
                x -> new long[v.length]), v));
        return weeks;
    }

    static LocalDate monday(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private static void add(long[] to, long[] values) {
        for (int i = 0; i < to.length; i++) {
            to[i] += values[i];
        }
    }

    static boolean isZero(long[] values) {
        for (long v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
