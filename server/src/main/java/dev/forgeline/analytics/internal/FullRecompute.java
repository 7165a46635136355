package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_BRANCH_COMMIT;
import static dev.forgeline.schema.Tables.AN_COMMIT;
import static dev.forgeline.schema.Tables.AN_DEPLOYMENT;
import static dev.forgeline.schema.Tables.AN_INCIDENT;
import static dev.forgeline.schema.Tables.AN_PR_REVIEWER;
import static dev.forgeline.schema.Tables.AN_PULL_REQUEST;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_LOCK;
import static dev.forgeline.schema.Tables.AN_RESPONSE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.analytics.internal.Facts.CommitFact;
import dev.forgeline.analytics.internal.Facts.ResponseFact;
import dev.forgeline.analytics.internal.Facts.ReviewerFact;
import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.schema.tables.records.AnDeploymentRecord;
import dev.forgeline.schema.tables.records.AnIncidentRecord;

/**
 * Rebuilds every derived fact and every daily aggregate from the fact tables, with the same definitions the
 * incremental path uses; it also applies changed production settings to past deployments.
 */
@Component
class FullRecompute implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(FullRecompute.class);

    private final DSLContext db;
    private final Aggregates aggregates;
    private final ProductionEnvironments production;
    private final Contributions contributions;
    private final TransactionTemplate transaction;

    FullRecompute(DSLContext db, Aggregates aggregates, ProductionEnvironments production, ForgelineProperties settings,
                  TransactionTemplate transaction) {
        this.db = db;
        this.aggregates = aggregates;
        this.production = production;
        this.contributions = new Contributions(settings.analytics().timeZone());
        this.transaction = transaction;
    }

    @Override
    public String name() {
        return "analytics-recompute";
    }

    @Override
    public String description() {
        return "Rebuilds every metric aggregate from the analytics facts";
    }

    @Override
    public String defaultSchedule() {
        return "0 0 2 * * *";
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        transaction.executeWithoutResult(tx -> recompute());
        log.info("analytics recomputed in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    void recompute() {
        // Events of known repositories wait until the rebuild commits, so that none is lost between its reads and writes.
        db.select(AN_REPOSITORY_LOCK.REPOSITORY_ID).from(AN_REPOSITORY_LOCK).orderBy(AN_REPOSITORY_LOCK.REPOSITORY_ID)
                .forUpdate().fetch();
        production.forget();
        productionFlags();
        incidentLinks();
        pullRequests();
        reviewers();
        Tally tally = new Tally();
        try (var rows = db.selectFrom(AN_PULL_REQUEST).fetchSize(5000).fetchLazy()) {
            rows.forEach(r -> contributions.add(tally, FactStore.pullRequest(r), +1));
        }
        try (var rows = db.selectFrom(AN_RESPONSE).fetchSize(5000).fetchLazy()) {
            rows.forEach(r -> contributions.add(tally, new ResponseFact(r.getRepositoryId(), r.getNumber(), r.getKind(),
                    r.getActor(), r.getPrAuthor(), r.getAt().toInstant()), +1));
        }
        try (var rows = db.selectFrom(AN_PR_REVIEWER).fetchSize(5000).fetchLazy()) {
            rows.forEach(r -> contributions.add(tally, new ReviewerFact(r.getRepositoryId(), r.getNumber(), r.getReviewer(),
                    r.getFirstAt().toInstant()), +1));
        }
        try (var rows = db.select(AN_COMMIT.REPOSITORY_ID, AN_COMMIT.ACTOR, AN_COMMIT.AUTHORED_AT, AN_COMMIT.ADDITIONS,
                AN_COMMIT.DELETIONS).from(AN_COMMIT).fetchSize(5000).fetchLazy()) {
            rows.forEach(r -> contributions.add(tally, new CommitFact(r.value1(), r.value2(), r.value3().toInstant(),
                    r.value4(), r.value5()), +1));
        }
        try (var rows = db.selectFrom(AN_DEPLOYMENT).fetchSize(5000).fetchLazy()) {
            rows.forEach(r -> contributions.add(tally, FactStore.deployment(r), +1));
        }
        aggregates.replaceAll(tally);
    }

    private void productionFlags() {
        List<Query> updates = new ArrayList<>();
        for (var d : db.select(AN_DEPLOYMENT.REPOSITORY_ID, AN_DEPLOYMENT.SOURCE, AN_DEPLOYMENT.FORGE_ID,
                AN_DEPLOYMENT.ENVIRONMENT, AN_DEPLOYMENT.PRODUCTION).from(AN_DEPLOYMENT).fetch()) {
            boolean now = production.isProduction(d.value1(), d.value2(), d.value4());
            if (now != d.value5()) {
                updates.add(db.update(AN_DEPLOYMENT).set(AN_DEPLOYMENT.PRODUCTION, now)
                        .where(AN_DEPLOYMENT.REPOSITORY_ID.eq(d.value1())).and(AN_DEPLOYMENT.SOURCE.eq(d.value2()))
                        .and(AN_DEPLOYMENT.FORGE_ID.eq(d.value3())));
            }
        }
        execute(updates);
    }

    /** Each incident blames the latest production deployment finished at or before it was created. */
    private void incidentLinks() {
        Map<Long, List<AnDeploymentRecord>> byRepository = new HashMap<>();
        for (AnDeploymentRecord d : db.selectFrom(AN_DEPLOYMENT)
                .where(AN_DEPLOYMENT.PRODUCTION.isTrue()).and(AN_DEPLOYMENT.FINISHED_AT.isNotNull()).fetch()) {
            byRepository.computeIfAbsent(d.getRepositoryId(), k -> new ArrayList<>()).add(d);
        }
        Comparator<AnDeploymentRecord> order = Comparator.comparing((AnDeploymentRecord d) -> d.getFinishedAt().toInstant())
                .thenComparing(AnDeploymentRecord::getSource).thenComparing(AnDeploymentRecord::getForgeId);
        byRepository.values().forEach(list -> list.sort(order));
        Map<String, Integer> counts = new HashMap<>();
        List<Query> updates = new ArrayList<>();
        for (AnIncidentRecord incident : db.selectFrom(AN_INCIDENT).fetch()) {
            Instant created = incident.getCreatedAt().toInstant();
            AnDeploymentRecord culprit = null;
            for (AnDeploymentRecord d : byRepository.getOrDefault(incident.getRepositoryId(), List.of())) {
                if (d.getFinishedAt().toInstant().isAfter(created)) {
                    break;
                }
                culprit = d;
            }
            String source = culprit == null ? null : culprit.getSource();
            String forgeId = culprit == null ? null : culprit.getForgeId();
            var finished = culprit == null ? null : culprit.getFinishedAt();
            if (!Objects.equals(source, incident.getDeploymentSource()) || !Objects.equals(forgeId, incident.getDeploymentForgeId())
                    || !Objects.equals(FactStore.instant(finished), FactStore.instant(incident.getDeploymentFinishedAt()))) {
                updates.add(db.update(AN_INCIDENT).set(AN_INCIDENT.DEPLOYMENT_SOURCE, source)
                        .set(AN_INCIDENT.DEPLOYMENT_FORGE_ID, forgeId).set(AN_INCIDENT.DEPLOYMENT_FINISHED_AT, finished)
                        .where(AN_INCIDENT.REPOSITORY_ID.eq(incident.getRepositoryId())).and(AN_INCIDENT.NUMBER.eq(incident.getNumber())));
            }
            if (culprit != null && incident.getIsIncident()) {
                counts.merge(incident.getRepositoryId() + "/" + source + "/" + forgeId, 1, Integer::sum);
            }
        }
        for (var d : db.select(AN_DEPLOYMENT.REPOSITORY_ID, AN_DEPLOYMENT.SOURCE, AN_DEPLOYMENT.FORGE_ID, AN_DEPLOYMENT.INCIDENT_COUNT)
                .from(AN_DEPLOYMENT).fetch()) {
            int count = counts.getOrDefault(d.value1() + "/" + d.value2() + "/" + d.value3(), 0);
            if (count != d.value4()) {
                updates.add(db.update(AN_DEPLOYMENT).set(AN_DEPLOYMENT.INCIDENT_COUNT, count)
                        .where(AN_DEPLOYMENT.REPOSITORY_ID.eq(d.value1())).and(AN_DEPLOYMENT.SOURCE.eq(d.value2()))
                        .and(AN_DEPLOYMENT.FORGE_ID.eq(d.value3())));
            }
        }
        execute(updates);
    }

    private void pullRequests() {
        var p = AN_PULL_REQUEST;
        var b = AN_BRANCH_COMMIT.as("b");
        var r = AN_RESPONSE.as("r");
        var d = AN_DEPLOYMENT.as("d");
        var notAuthor = p.AUTHOR.isNull().or(r.ACTOR.ne(p.AUTHOR));
        db.update(p)
                .set(p.FIRST_COMMIT_AT, DSL.select(DSL.min(b.AUTHORED_AT)).from(b)
                        .where(b.REPOSITORY_ID.eq(p.REPOSITORY_ID)).and(b.BRANCH.eq(p.HEAD_REF)))
                .set(p.FIRST_RESPONSE_AT, DSL.select(DSL.min(r.AT)).from(r)
                        .where(r.REPOSITORY_ID.eq(p.REPOSITORY_ID)).and(r.NUMBER.eq(p.NUMBER)).and(notAuthor))
                .set(p.FIRST_REVIEW_AT, DSL.select(DSL.min(r.AT)).from(r)
                        .where(r.REPOSITORY_ID.eq(p.REPOSITORY_ID)).and(r.NUMBER.eq(p.NUMBER)).and(notAuthor)
                        .and(r.KIND.eq("review")))
                .set(p.DEPLOYED_AT, DSL.select(DSL.min(d.FINISHED_AT)).from(d)
                        .where(d.REPOSITORY_ID.eq(p.REPOSITORY_ID)).and(d.PRODUCTION.isTrue()).and(d.FINISHED_AT.ge(p.MERGED_AT)))
                .execute();
    }

    private void reviewers() {
        var r = AN_RESPONSE;
        db.deleteFrom(AN_PR_REVIEWER).execute();
        db.insertInto(AN_PR_REVIEWER, AN_PR_REVIEWER.REPOSITORY_ID, AN_PR_REVIEWER.NUMBER, AN_PR_REVIEWER.REVIEWER,
                        AN_PR_REVIEWER.FIRST_AT)
                .select(DSL.select(r.REPOSITORY_ID, r.NUMBER, r.ACTOR, DSL.min(r.AT)).from(r)
                        .where(r.KIND.eq("review")).and(r.PR_AUTHOR.isNull().or(r.ACTOR.ne(r.PR_AUTHOR)))
                        .groupBy(r.REPOSITORY_ID, r.NUMBER, r.ACTOR))
                .execute();
    }

    private void execute(List<Query> updates) {
        for (int from = 0; from < updates.size(); from += 1000) {
            db.batch(updates.subList(from, Math.min(updates.size(), from + 1000))).execute();
        }
    }
}
