package dev.forgeline.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Team;

/**
 * What a report covers: one team, or every team of a course or organisation, over the days {@code from} to {@code to}
 * inclusive. {@code start} and {@code end} are those days as instants (end: the next midnight UTC, or now if sooner).
 */
public record ReportScope(Kind kind, Organisation organisation, List<Team> teams, LocalDate from, LocalDate to,
                          Instant start, Instant end) {

    public enum Kind { TEAM, COURSE, ORGANISATION }

    public ReportScope {
        teams = List.copyOf(teams);
    }
}
