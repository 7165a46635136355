package dev.forgeline.analytics.internal;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Set;

import dev.forgeline.analytics.Metrics.Window;

/**
 * What a read covers: repositories, the forge identities of the people asked about (null: everyone) and a window
 * of days in the analytics time zone.
 */
record Scope(Set<Long> repositories, Set<String> actors, LocalDate from, LocalDate to, ZoneId zone) {

    OffsetDateTime start() {
        return from.atStartOfDay(zone).toOffsetDateTime();
    }

    /** Exclusive: the start of the day after {@code to}. */
    OffsetDateTime end() {
        return to.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    }

    Window window() {
        return new Window(from, to);
    }
}
