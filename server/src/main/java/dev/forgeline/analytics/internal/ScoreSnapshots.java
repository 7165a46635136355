package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_SCORE_SNAPSHOT;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.analytics.Metrics.PersonScore;
import dev.forgeline.analytics.Metrics.Score;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;

/** Keeps each week's reliability score of every person, team and organisation, for trend lines; drops old weeks. */
@Component
class ScoreSnapshots implements RecurringJob {

    private final DSLContext db;
    private final Organisations organisations;
    private final MetricsReader metrics;
    private final TransactionTemplate transaction;
    private final ForgelineProperties.Analytics settings;
    private final ZoneId zone;

    ScoreSnapshots(DSLContext db, Organisations organisations, MetricsReader metrics, TransactionTemplate transaction,
                   ForgelineProperties settings) {
        this.db = db;
        this.organisations = organisations;
        this.metrics = metrics;
        this.transaction = transaction;
        this.settings = settings.analytics();
        this.zone = this.settings.timeZone();
    }

    @Override
    public String name() {
        return "analytics-snapshots";
    }

    @Override
    public String description() {
        return "Stores this week's reliability scores and deletes snapshots past their retention";
    }

    @Override
    public String defaultSchedule() {
        return "0 30 2 * * *";
    }

    @Override
    public void run() {
        LocalDate today = LocalDate.now(zone);
        for (Organisation org : organisations.all()) {
            transaction.executeWithoutResult(tx -> snapshot(org.id(), today));
        }
        db.deleteFrom(AN_SCORE_SNAPSHOT)
                .where(AN_SCORE_SNAPSHOT.WEEK.lt(today.minusDays(settings.snapshotRetention().toDays()))).execute();
    }

    /** The scores as of today, stored under the Monday of this week (a later run in the week overwrites them). */
    void snapshot(long organisationId, LocalDate today) {
        LocalDate week = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Set<Long> repos = metrics.organisationRepositories(organisationId);
        List<Person> people = organisations.people(organisationId);
        Scope window = new Scope(repos, null, today.minusWeeks(MetricsReader.SCORE_WEEKS).plusDays(1), today, zone);
        List<PersonScore> scores = metrics.scores(organisationId, window, people, people, null);
        for (PersonScore s : scores) {
            store(organisationId, "person:" + s.accountId(), week, s.score());
        }
        for (Team team : organisations.teams(organisationId)) {
            Set<Long> members = organisations.teamMembers(team.id());
            List<Score> teamScores = new ArrayList<>();
            for (PersonScore s : metrics.scores(organisationId, window, people,
                    people.stream().filter(p -> members.contains(p.accountId())).toList(), team.id())) {
                teamScores.add(s.score());
            }
            store(organisationId, "team:" + team.id(), week, MetricsReader.mean(teamScores));
        }
        store(organisationId, "org", week, MetricsReader.mean(scores.stream().map(PersonScore::score).toList()));
    }

    private void store(long organisationId, String subject, LocalDate week, Score s) {
        var t = AN_SCORE_SNAPSHOT;
        db.insertInto(t).set(t.ORGANISATION_ID, organisationId).set(t.SUBJECT, subject).set(t.WEEK, week)
                .set(t.SCORE, s.score()).set(t.MERGE_CONSISTENCY, s.mergeConsistency()).set(t.REVIEW_PARTICIPATION, s.reviewParticipation())
                .set(t.MERGE_TIME_EFFICIENCY, s.mergeTimeEfficiency()).set(t.ACTIVITY_STABILITY, s.activityStability())
                .onDuplicateKeyUpdate()
                .set(t.SCORE, s.score()).set(t.MERGE_CONSISTENCY, s.mergeConsistency()).set(t.REVIEW_PARTICIPATION, s.reviewParticipation())
                .set(t.MERGE_TIME_EFFICIENCY, s.mergeTimeEfficiency()).set(t.ACTIVITY_STABILITY, s.activityStability())
                .execute();
    }
}
