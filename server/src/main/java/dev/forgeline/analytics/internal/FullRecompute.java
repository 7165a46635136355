package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_BRANCH;
import static dev.forgeline.schema.Tables.AN_COMMIT;
import static dev.forgeline.schema.Tables.AN_DEPLOYMENT;
import static dev.forgeline.schema.Tables.AN_INCIDENT;
import static dev.forgeline.schema.Tables.AN_PR_REVIEWER;
import static dev.forgeline.schema.Tables.AN_PULL_REQUEST;
import static dev.forgeline.schema.Tables.AN_REPOSITORY_LOCK;
import static dev.forgeline.schema.Tables.AN_RESPONSE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.analytics.internal.Facts.CommitFact;
import dev.forgeline.analytics.internal.Facts.PullRequestFact;
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
    private final OrganisationDirectory directory;

    FullRecompute(DSLContext db, Aggregates aggregates, ProductionEnvironments production, ForgelineProperties settings,
                  TransactionTemplate transaction, OrganisationDirectory directory) {
        this.db = db;
        this.aggregates = aggregates;
        this.production = production;
        this.contributions = new Contributions(settings.analytics().timeZone());
        this.transaction = transaction;
        this.directory = directory;
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
        Map<String, Long> phases = transaction.execute(tx -> recompute());
        log.info("analytics recomputed in {} ms (phases in ms: {})", (System.nanoTime() - start) / 1_000_000, phases);
    }

    /** Rebuilds everything in the caller's transaction; answers how long each phase took, in ms. */
    Map<String, Long> recompute() {
        Map<String, Long> phases = new LinkedHashMap<>();
        long[] at = {System.nanoTime()};
        Consumer<String> done = phase -> {
            long now = System.nanoTime();
            phases.put(phase, (now - at[0]) / 1_000_000);
            at[0] = now;
        };
        // Events of known repositories wait until the rebuild commits, so that none is lost between its reads and writes.
        db.select(AN_REPOSITORY_LOCK.REPOSITORY_ID).from(AN_REPOSITORY_LOCK).orderBy(AN_REPOSITORY_LOCK.REPOSITORY_ID)
                .forUpdate().fetch();
        done.accept("lock");
        production.forget();
        // Read once and kept in step with what is written, for the phases below.
        List<AnDeploymentRecord> deployments = db.selectFrom(AN_DEPLOYMENT).fetch();
        productionFlags(deployments);
        done.accept("production");
        incidentLinks(deployments);
        done.accept("incidents");
        List<PullRequestFact> pullRequests = pullRequests(deployments);
        done.accept("pull requests");
        reviewers();
        done.accept("reviewers");
        Tally tally = new Tally();
        pullRequests.forEach(pr -> contributions.add(tally, pr, +1));
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
        deployments.forEach(d -> contributions.add(tally, FactStore.deployment(d), +1));
        done.accept("tally");
        aggregates.replaceAll(tally);
        done.accept("aggregates");
        directory.forgetAllAfterCommit(); // answers kept in memory may have changed
        return phases;
    }

    private void productionFlags(List<AnDeploymentRecord> deployments) {
        List<Query> updates = new ArrayList<>();
        for (AnDeploymentRecord d : deployments) {
            boolean now = production.isProduction(d.getRepositoryId(), d.getSource(), d.getEnvironment());
            if (now != d.getProduction()) {
                d.setProduction(now);
                updates.add(db.update(AN_DEPLOYMENT).set(AN_DEPLOYMENT.PRODUCTION, now)
                        .where(AN_DEPLOYMENT.REPOSITORY_ID.eq(d.getRepositoryId())).and(AN_DEPLOYMENT.SOURCE.eq(d.getSource()))
                        .and(AN_DEPLOYMENT.FORGE_ID.eq(d.getForgeId())));
            }
        }
        execute(updates);
    }

    /** Each incident blames the latest production deployment finished at or before it was created. */
    private void incidentLinks(List<AnDeploymentRecord> deployments) {
        Map<Long, List<AnDeploymentRecord>> byRepository = new HashMap<>();
        for (AnDeploymentRecord d : deployments) {
            if (d.getProduction() && d.getFinishedAt() != null) {
                byRepository.computeIfAbsent(d.getRepositoryId(), k -> new ArrayList<>()).add(d);
            }
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
        for (AnDeploymentRecord d : deployments) {
            int count = counts.getOrDefault(d.getRepositoryId() + "/" + d.getSource() + "/" + d.getForgeId(), 0);
            if (count != d.getIncidentCount()) {
                d.setIncidentCount(count);
                updates.add(db.update(AN_DEPLOYMENT).set(AN_DEPLOYMENT.INCIDENT_COUNT, count)
                        .where(AN_DEPLOYMENT.REPOSITORY_ID.eq(d.getRepositoryId())).and(AN_DEPLOYMENT.SOURCE.eq(d.getSource()))
                        .and(AN_DEPLOYMENT.FORGE_ID.eq(d.getForgeId())));
            }
        }
        execute(updates);
    }

    private record Branch(long repositoryId, String branch) {
    }

    private record PullRequestKey(long repositoryId, long number) {
    }

    /**
     * Each pull request's first commit, first answer and review by someone else, and first production deployment
     * at or after its merge, from the facts, and the spans derived from them; only the rows that differ are written.
     * Answers every pull request.
     */
    private List<PullRequestFact> pullRequests(List<AnDeploymentRecord> all) {
        Map<Branch, Instant> firstCommits = new HashMap<>();
        var b = AN_BRANCH;
        for (var r : db.select(b.REPOSITORY_ID, b.BRANCH, b.FIRST_COMMIT_AT).from(b).fetch()) {
            firstCommits.put(new Branch(r.value1(), r.value2()), r.value3().toInstant());
        }
        Map<Long, List<Instant>> deployments = new HashMap<>();
        for (AnDeploymentRecord d : all) {
            if (d.getProduction() && d.getFinishedAt() != null) {
                deployments.computeIfAbsent(d.getRepositoryId(), k -> new ArrayList<>()).add(d.getFinishedAt().toInstant());
            }
        }
        deployments.values().forEach(Collections::sort);
        List<PullRequestFact> pullRequests = new ArrayList<>();
        List<Long[]> storedSpans = new ArrayList<>();
        Map<PullRequestKey, Integer> index = new HashMap<>();
        try (var rows = db.selectFrom(AN_PULL_REQUEST).fetchSize(5000).fetchLazy()) {
            rows.forEach(r -> {
                PullRequestFact pr = FactStore.pullRequest(r);
                index.put(new PullRequestKey(pr.repositoryId(), pr.number()), pullRequests.size());
                pullRequests.add(pr);
                storedSpans.add(FactStore.storedSpans(r));
            });
        }
        Instant[] firstResponse = new Instant[pullRequests.size()];
        Instant[] firstReview = new Instant[pullRequests.size()];
        var a = AN_RESPONSE;
        try (var rows = db.select(a.REPOSITORY_ID, a.NUMBER, a.ACTOR, a.KIND, a.AT).from(a).fetchSize(5000).fetchLazy()) {
            rows.forEach(r -> {
                Integer i = index.get(new PullRequestKey(r.value1(), r.value2()));
                if (i == null) {
                    return;
                }
                String author = pullRequests.get(i).author();
                if (author != null && author.equals(r.value3())) {
                    return;
                }
                Instant at = r.value5().toInstant();
                firstResponse[i] = Facts.earliest(firstResponse[i], at);
                if (r.value4().equals("review")) {
                    firstReview[i] = Facts.earliest(firstReview[i], at);
                }
            });
        }
        List<Query> updates = new ArrayList<>();
        for (int i = 0; i < pullRequests.size(); i++) {
            PullRequestFact pr = pullRequests.get(i);
            Instant commit = pr.headRef() == null ? null : firstCommits.get(new Branch(pr.repositoryId(), pr.headRef()));
            Instant deployed = pr.mergedAt() == null ? null
                    : firstAtOrAfter(deployments.getOrDefault(pr.repositoryId(), List.of()), pr.mergedAt());
            PullRequestFact now = pr.withDerived(commit, firstResponse[i], firstReview[i], deployed);
            Long[] spans = FactStore.spans(now);
            if (!now.equals(pr) || !Arrays.equals(spans, storedSpans.get(i))) {
                pullRequests.set(i, now);
                var p = AN_PULL_REQUEST;
                updates.add(db.update(p).set(p.FIRST_COMMIT_AT, FactStore.time(commit))
                        .set(p.FIRST_RESPONSE_AT, FactStore.time(firstResponse[i])).set(p.FIRST_REVIEW_AT, FactStore.time(firstReview[i]))
                        .set(p.DEPLOYED_AT, FactStore.time(deployed)).set(FactStore.spanColumns(spans))
                        .where(p.REPOSITORY_ID.eq(pr.repositoryId())).and(p.NUMBER.eq(pr.number())));
            }
        }
        execute(updates);
        return pullRequests;
    }

    /** The first of the sorted times at or after the instant, or null. */
    private static Instant firstAtOrAfter(List<Instant> sorted, Instant at) {
        int low = 0;
        int high = sorted.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted.get(mid).isBefore(at)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low < sorted.size() ? sorted.get(low) : null;
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
