package dev.forgeline.compliance.internal;

import java.util.List;

import dev.forgeline.compliance.Rule;

/** One rule's result for a team: score 0–100, or null when there is nothing to judge it on (then left out of the weighted score). */
record RuleScore(Rule rule, Integer score, String detail, List<Evidence> evidence) {

    static final int MAX_EVIDENCE = 10;

    RuleScore {
        evidence = evidence.size() > MAX_EVIDENCE ? List.copyOf(evidence.subList(0, MAX_EVIDENCE)) : List.copyOf(evidence);
    }

    static RuleScore of(Rule rule, double fraction, String detail, List<Evidence> evidence) {
        return new RuleScore(rule, (int) Math.round(100 * Math.max(0, Math.min(1, fraction))), detail, evidence);
    }

    static RuleScore unknown(Rule rule, String detail) {
        return new RuleScore(rule, null, detail, List.of());
    }
}
