package dev.forgeline.compliance.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

import org.springframework.stereotype.Component;

import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;

/**
 * Each week, keeps every team's weighted score and rule scores as a snapshot for trend lines (one row per team and
 * week: running twice in a week replaces it), and deletes snapshots older than the retention (180 days).
 */
@Component
class ComplianceSnapshots implements RecurringJob {

    private final Organisations organisations;
    private final ScoreStore scores;
    private final Duration retention;

    ComplianceSnapshots(Organisations organisations, ScoreStore scores, ForgelineProperties settings) {
        this.organisations = organisations;
        this.scores = scores;
        this.retention = settings.compliance().snapshotRetention();
    }

    @Override
    public String name() {
        return "compliance-snapshot";
    }

    @Override
    public String description() {
        return "Keeps a weekly snapshot of each team's compliance scores and deletes old ones";
    }

    @Override
    public String defaultSchedule() {
        return "0 30 2 * * *";
    }

    @Override
    public void run() {
        Instant now = Instant.now();
        LocalDate week = LocalDate.ofInstant(now, ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        for (Organisation organisation : organisations.all()) {
            var weights = scores.weights(organisation.id());
            for (ScoreStore.TeamResult result : scores.ofOrganisation(organisation.id())) {
                scores.snapshot(result.teamId(), organisation.id(), week, WeightedScore.of(result.scores(), weights), result.scores(), now);
            }
        }
        scores.deleteSnapshotsBefore(LocalDate.ofInstant(now.minus(retention), ZoneOffset.UTC));
    }
}
