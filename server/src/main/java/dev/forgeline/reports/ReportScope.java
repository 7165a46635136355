package dev.forgeline.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Team;

/**
 * What a report covers: one team, or every team of a course or organisation, over the days {@code from} to {@code to}
 * inclusive. {@code start} and {@code end} are those days as instants (end: the next midnight UTC, or now if sooner).
 * {@code people} are the accounts whose own figures the report may show: those in its scope that its requester may
 * read, as the metrics API would let them; aggregates of teams and the organisation need no such leave.
 */
public record ReportScope(Kind kind, Organisation organisation, List<Team> teams, Set<Long> people, LocalDate from,
                          LocalDate to, Instant start, Instant end) {

    public enum Kind { TEAM, COURSE, ORGANISATION }

    public ReportScope {
        teams = List.copyOf(teams);
        people = Set.copyOf(people);
    }
}
