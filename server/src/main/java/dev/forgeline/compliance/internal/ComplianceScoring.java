package dev.forgeline.compliance.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Team;
import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;

/**
 * Scores again the teams whose repositories changed since their last scoring, and every team whose scores are
 * older than {@code forgeline.compliance.rescore-after} (weeks pass without events too). Events only mark their
 * repository, so a burst of deliveries costs one scoring per team.
 */
@Component
class ComplianceScoring implements RecurringJob {

    static final String NAME = "compliance-score";
    private static final Logger log = LoggerFactory.getLogger(ComplianceScoring.class);

    private final Organisations organisations;
    private final TeamFactStore facts;
    private final ScoreStore scores;
    private final TeamScorer scorer;
    private final Duration rescoreAfter;

    ComplianceScoring(Organisations organisations, TeamFactStore facts, ScoreStore scores, TeamScorer scorer, ForgelineProperties settings) {
        this.organisations = organisations;
        this.facts = facts;
        this.scores = scores;
        this.scorer = scorer;
        this.rescoreAfter = settings.compliance().rescoreAfter();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Scores the course compliance rules of teams whose repositories changed, and of teams scored long ago";
    }

    @Override
    public String defaultSchedule() {
        return "1m";
    }

    @Override
    public JobPriority priority() {
        return JobPriority.DEFAULT;
    }

    @Override
    public void run() {
        Instant began = Instant.now();
        Set<Long> changed = facts.changed();
        int count = 0;
        for (Organisation organisation : organisations.all()) {
            var teams = organisations.teams(organisation.id());
            if (teams.isEmpty()) {
                continue;
            }
            Map<Long, ScoreStore.Scored> scored = scores.scored(teams.stream().map(Team::id).toList());
            for (Team team : teams) {
                ScoreStore.Scored last = scored.get(team.id());
                boolean stale = last == null || last.computedAt().plus(rescoreAfter).isBefore(began)
                        || !last.basis().equals(scorer.basis(team));
                if (stale || organisations.teamRepositories(team.id()).stream().anyMatch(changed::contains)) {
                    scores.save(scorer.score(team, Instant.now()));
                    count++;
                }
            }
        }
        facts.scored(changed, began);
        if (count > 0) {
            log.debug("scored compliance of {} teams", count);
        }
    }
}
