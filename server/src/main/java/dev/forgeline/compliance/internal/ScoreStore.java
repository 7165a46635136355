package dev.forgeline.compliance.internal;

import static dev.forgeline.schema.Tables.COMPLIANCE_SNAPSHOT;
import static dev.forgeline.schema.Tables.COMPLIANCE_TEAM_SCORE;
import static dev.forgeline.schema.Tables.COMPLIANCE_WEIGHT;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.forgeline.compliance.Rule;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Stored team scores (one row a team), the teachers' weights, and the weekly snapshots. */
@Repository
class ScoreStore {

    /** A team's stored result: the rules with their evidence and the signals, over the period it was scored on. */
    record TeamResult(long teamId, long organisationId, String basis, Period period, Instant computedAt, List<RuleScore> rules,
                      List<Signal> signals) {

        Map<Rule, Integer> scores() {
            Map<Rule, Integer> scores = new EnumMap<>(Rule.class);
            rules.forEach(r -> scores.put(r.rule(), r.score()));
            return scores;
        }
    }

    record Snapshot(LocalDate week, Integer score) {
    }

    private static final TypeReference<List<RuleScore>> RULES = new TypeReference<>() { };
    private static final TypeReference<List<Signal>> SIGNALS = new TypeReference<>() { };

    private final DSLContext db;
    private final JsonMapper json;

    ScoreStore(DSLContext db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    void save(TeamResult result) {
        String rules = json.writeValueAsString(result.rules());
        String signals = json.writeValueAsString(result.signals());
        int updated = db.update(COMPLIANCE_TEAM_SCORE)
                .set(COMPLIANCE_TEAM_SCORE.ORGANISATION_ID, result.organisationId())
                .set(COMPLIANCE_TEAM_SCORE.BASIS, result.basis())
                .set(COMPLIANCE_TEAM_SCORE.PERIOD_FROM, utc(result.period().from()))
                .set(COMPLIANCE_TEAM_SCORE.PERIOD_TO, utc(result.period().to()))
                .set(COMPLIANCE_TEAM_SCORE.COMPUTED_AT, utc(result.computedAt()))
                .set(COMPLIANCE_TEAM_SCORE.RULES, rules)
                .set(COMPLIANCE_TEAM_SCORE.SIGNALS, signals)
                .where(COMPLIANCE_TEAM_SCORE.TEAM_ID.eq(result.teamId())).execute();
        if (updated == 0) {
            db.insertInto(COMPLIANCE_TEAM_SCORE)
                    .set(COMPLIANCE_TEAM_SCORE.TEAM_ID, result.teamId())
                    .set(COMPLIANCE_TEAM_SCORE.ORGANISATION_ID, result.organisationId())
                    .set(COMPLIANCE_TEAM_SCORE.BASIS, result.basis())
                    .set(COMPLIANCE_TEAM_SCORE.PERIOD_FROM, utc(result.period().from()))
                    .set(COMPLIANCE_TEAM_SCORE.PERIOD_TO, utc(result.period().to()))
                    .set(COMPLIANCE_TEAM_SCORE.COMPUTED_AT, utc(result.computedAt()))
                    .set(COMPLIANCE_TEAM_SCORE.RULES, rules)
                    .set(COMPLIANCE_TEAM_SCORE.SIGNALS, signals)
                    .onDuplicateKeyIgnore().execute();
        }
    }

    Optional<TeamResult> find(long teamId) {
        return db.selectFrom(COMPLIANCE_TEAM_SCORE).where(COMPLIANCE_TEAM_SCORE.TEAM_ID.eq(teamId))
                .fetchOptional(r -> new TeamResult(r.getTeamId(), r.getOrganisationId(), r.getBasis(),
                        new Period(r.getPeriodFrom().toInstant(), r.getPeriodTo().toInstant()), r.getComputedAt().toInstant(),
                        json.readValue(r.getRules(), RULES), json.readValue(r.getSignals(), SIGNALS)));
    }

    record Scored(Instant computedAt, String basis) {
    }

    /** When each of these teams was last scored and on what basis; a team never scored is missing. */
    Map<Long, Scored> scored(Collection<Long> teamIds) {
        Map<Long, Scored> at = new LinkedHashMap<>();
        db.select(COMPLIANCE_TEAM_SCORE.TEAM_ID, COMPLIANCE_TEAM_SCORE.COMPUTED_AT, COMPLIANCE_TEAM_SCORE.BASIS).from(COMPLIANCE_TEAM_SCORE)
                .where(COMPLIANCE_TEAM_SCORE.TEAM_ID.in(teamIds))
                .forEach(r -> at.put(r.value1(), new Scored(r.value2().toInstant(), r.value3())));
        return at;
    }

    List<TeamResult> ofOrganisation(long organisationId) {
        return db.select(COMPLIANCE_TEAM_SCORE.TEAM_ID).from(COMPLIANCE_TEAM_SCORE)
                .where(COMPLIANCE_TEAM_SCORE.ORGANISATION_ID.eq(organisationId)).fetch(COMPLIANCE_TEAM_SCORE.TEAM_ID)
                .stream().map(this::find).flatMap(Optional::stream).toList();
    }

    // Weights ------------------------------------------------------------------------------------------------

    /** Every rule's weight in the organisation; 1 where the teacher set none. */
    Map<Rule, Double> weights(long organisationId) {
        Map<Rule, Double> weights = new EnumMap<>(Rule.class);
        for (Rule rule : Rule.values()) {
            weights.put(rule, 1.0);
        }
        db.selectFrom(COMPLIANCE_WEIGHT).where(COMPLIANCE_WEIGHT.ORGANISATION_ID.eq(organisationId))
                .forEach(r -> Rule.parse(r.getRule()).ifPresent(rule -> weights.put(rule, r.getWeight())));
        return weights;
    }

    @Transactional
    void setWeights(long organisationId, Map<Rule, Double> weights) {
        weights.forEach((rule, weight) -> {
            int updated = db.update(COMPLIANCE_WEIGHT).set(COMPLIANCE_WEIGHT.WEIGHT, weight)
                    .where(COMPLIANCE_WEIGHT.ORGANISATION_ID.eq(organisationId)).and(COMPLIANCE_WEIGHT.RULE.eq(rule.name())).execute();
            if (updated == 0) {
                db.insertInto(COMPLIANCE_WEIGHT).set(COMPLIANCE_WEIGHT.ORGANISATION_ID, organisationId)
                        .set(COMPLIANCE_WEIGHT.RULE, rule.name()).set(COMPLIANCE_WEIGHT.WEIGHT, weight).execute();
            }
        });
    }

    // Snapshots ----------------------------------------------------------------------------------------------

    void snapshot(long teamId, long organisationId, LocalDate week, Integer score, Map<Rule, Integer> rules, Instant takenAt) {
        Map<String, Integer> byCode = new LinkedHashMap<>();
        rules.forEach((rule, value) -> byCode.put(rule.name(), value));
        String text = json.writeValueAsString(byCode);
        int updated = db.update(COMPLIANCE_SNAPSHOT).set(COMPLIANCE_SNAPSHOT.SCORE, score).set(COMPLIANCE_SNAPSHOT.RULES, text)
                .set(COMPLIANCE_SNAPSHOT.TAKEN_AT, utc(takenAt))
                .where(COMPLIANCE_SNAPSHOT.TEAM_ID.eq(teamId)).and(COMPLIANCE_SNAPSHOT.WEEK.eq(week)).execute();
        if (updated == 0) {
            db.insertInto(COMPLIANCE_SNAPSHOT).set(COMPLIANCE_SNAPSHOT.TEAM_ID, teamId).set(COMPLIANCE_SNAPSHOT.WEEK, week)
                    .set(COMPLIANCE_SNAPSHOT.ORGANISATION_ID, organisationId).set(COMPLIANCE_SNAPSHOT.SCORE, score)
                    .set(COMPLIANCE_SNAPSHOT.RULES, text).set(COMPLIANCE_SNAPSHOT.TAKEN_AT, utc(takenAt))
                    .onDuplicateKeyIgnore().execute();
        }
    }

    List<Snapshot> snapshots(long teamId, LocalDate from, LocalDate to) {
        return db.select(COMPLIANCE_SNAPSHOT.WEEK, COMPLIANCE_SNAPSHOT.SCORE).from(COMPLIANCE_SNAPSHOT)
                .where(COMPLIANCE_SNAPSHOT.TEAM_ID.eq(teamId)).and(COMPLIANCE_SNAPSHOT.WEEK.between(from, to))
                .orderBy(COMPLIANCE_SNAPSHOT.WEEK).fetch(r -> new Snapshot(r.value1(), r.value2()));
    }

    int deleteSnapshotsBefore(LocalDate week) {
        return db.deleteFrom(COMPLIANCE_SNAPSHOT).where(COMPLIANCE_SNAPSHOT.WEEK.lt(week)).execute();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
