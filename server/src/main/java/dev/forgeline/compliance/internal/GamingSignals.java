package dev.forgeline.compliance.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.forgeline.compliance.internal.RuleScoring.Scope;
import dev.forgeline.compliance.internal.TeamFacts.Commit;
import dev.forgeline.compliance.internal.TeamFacts.MergeRequest;

/** Finds the four gaming signals in a team's facts for a period; docs/metrics.md gives each definition. */
final class GamingSignals {

    /** A commit or merge request changing this many lines or more is flagged as inflation. */
    static final int INFLATED_LINES = 1000;
    /** An issue closed this soon after it was opened was not used to plan anything. */
    static final Duration INSTANT = Duration.ofMinutes(5);

    private GamingSignals() {
    }

    static List<Signal> detect(TeamFacts facts, Roster roster, Period period) {
        Scope s = new Scope(facts, roster, period);
        List<Signal> signals = new ArrayList<>();
        add(signals, Signal.Kind.EMPTY_COMMITS, s.work().stream().filter(GamingSignals::empty)
                .map(c -> s.commit(c, "changes nothing: " + c.subject())).toList());
        List<Evidence> inflation = new ArrayList<>();
        s.work().stream().filter(c -> c.lines() != null && c.lines() >= INFLATED_LINES)
                .forEach(c -> inflation.add(s.commit(c, c.lines() + " lines changed")));
        s.mergeRequests().stream().filter(m -> lines(m) >= INFLATED_LINES)
                .forEach(m -> inflation.add(s.mergeRequest(m, lines(m) + " lines changed")));
        add(signals, Signal.Kind.LINE_INFLATION, inflation);
        add(signals, Signal.Kind.INSTANT_ISSUES, s.issues().stream()
                .filter(i -> i.closedAt() != null && Duration.between(i.createdAt(), i.closedAt()).compareTo(INSTANT) <= 0)
                .map(i -> s.issue(i, "closed " + Duration.between(i.createdAt(), i.closedAt()).toSeconds() + " s after it was opened"))
                .toList());
        add(signals, Signal.Kind.SELF_MERGE, s.facts().mergeRequests().stream()
                .filter(m -> m.merged() && period.contains(m.mergedAt()) && m.author() != null
                        && m.author().equalsIgnoreCase(m.mergedBy()) && !s.reviewedByOthers(m))
                .map(m -> s.mergeRequest(m, "merged by its author " + m.author() + " without review")).toList());
        return signals;
    }

    /** Nothing changed: no files, or zero lines both ways, as far as the forge reported. */
    static boolean empty(Commit c) {
        return (c.filesChanged() != null && c.filesChanged() == 0) || (c.lines() != null && c.lines() == 0);
    }

    private static int lines(MergeRequest m) {
        return m.additions() == null || m.deletions() == null ? 0 : m.additions() + m.deletions();
    }

    private static void add(List<Signal> signals, Signal.Kind kind, List<Evidence> evidence) {
        if (!evidence.isEmpty()) {
            signals.add(new Signal(kind, evidence));
        }
    }
}
