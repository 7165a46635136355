package dev.forgeline.compliance.internal;

import java.util.Map;

import dev.forgeline.compliance.Rule;

/** The teacher-weighted average of the scored rules; a rule without a score leaves its weight out too. */
final class WeightedScore {

    private WeightedScore() {
    }

    /** @return 0–100, or null when no rule with a weight above zero has a score */
    static Integer of(Map<Rule, Integer> scores, Map<Rule, Double> weights) {
        double sum = 0;
        double weightSum = 0;
        for (Map.Entry<Rule, Integer> score : scores.entrySet()) {
            double weight = weights.getOrDefault(score.getKey(), 0.0);
            if (score.getValue() != null && weight > 0) {
                sum += weight * score.getValue();
                weightSum += weight;
            }
        }
        return weightSum == 0 ? null : (int) Math.round(sum / weightSum);
    }
}
