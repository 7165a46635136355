package dev.forgeline.compliance.internal;

import java.time.Duration;
import java.time.Instant;

/** The time a team is scored over, cut into 7-day weeks counted from its start. */
record Period(Instant from, Instant to) {

    static final Duration WEEK = Duration.ofDays(7);

    Period {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("a period ends after it starts");
        }
    }

    boolean contains(Instant at) {
        return at != null && !at.isBefore(from) && !at.isAfter(to);
    }

    /** Weeks the period spans, a started week counting as one. */
    int weeks() {
        long millis = Duration.between(from, to).toMillis();
        return (int) Math.max(1, (millis + WEEK.toMillis() - 1) / WEEK.toMillis());
    }

    int week(Instant at) {
        return (int) Math.min(weeks() - 1, Duration.between(from, at).toMillis() / WEEK.toMillis());
    }

    Instant weekStart(int week) {
        return from.plus(WEEK.multipliedBy(week));
    }
}
