package dev.forgeline.compliance.internal;

import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.forgeline.compliance.ComplianceScores;
import dev.forgeline.compliance.TeamCompliance;
import dev.forgeline.platform.ForgelineProperties;

@Component
class StoredComplianceScores implements ComplianceScores {

    private final ScoreStore scores;
    private final int green;
    private final int amber;

    StoredComplianceScores(ScoreStore scores, ForgelineProperties settings) {
        this.scores = scores;
        this.green = settings.compliance().green();
        this.amber = settings.compliance().amber();
    }

    @Override
    public Optional<TeamCompliance> latest(long teamId) {
        return scores.find(teamId).map(result -> {
            Integer score = WeightedScore.of(result.scores(), scores.weights(result.organisationId()));
            return new TeamCompliance(teamId, score, score == null ? null : Level.of(score, green, amber).code(), result.scores(),
                    result.signals().stream().mapToInt(s -> s.evidence().size()).sum(), result.computedAt());
        });
    }
}
