package dev.forgeline.compliance;

import java.time.Instant;
import java.util.Map;

/**
 * A team's latest course compliance, weighted with its organisation's current weights.
 *
 * @param score 0–100, null when no weighted rule could be scored
 * @param level green, amber or red (null with the score)
 * @param rules each rule's score; null for a rule with nothing to judge it on
 * @param signals how many pieces of gaming evidence were found
 */
public record TeamCompliance(long teamId, Integer score, String level, Map<Rule, Integer> rules, int signals, Instant computedAt) {
}
