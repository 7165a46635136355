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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import dev.forgeline.analytics.internal.Facts.DeploymentFact;
import dev.forgeline.analytics.internal.Facts.PullRequestFact;
import dev.forgeline.analytics.internal.Facts.ReviewerFact;
import dev.forgeline.schema.tables.records.AnDeploymentRecord;
import dev.forgeline.schema.tables.records.AnIncidentRecord;
import dev.forgeline.schema.tables.records.AnPullRequestRecord;

/**
 * Reads and writes the fact tables. Reads meant for an update lock the rows; the repository's lock (an_repository_lock)
 * already keeps concurrent writers of one repository's facts apart. {@link FactBatch} keeps what a batch of events
 * reads and changes in between.
 */
@Repository
class FactStore {

    private final DSLContext db;
    private final RowBatches rows;

    FactStore(DSLContext db, RowBatches rows) {
        this.db = db;
        this.rows = rows;
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** Holds the repository's lock until the transaction ends: see an_repository_lock. */
    void lockRepository(long repositoryId) {
        var lock = AN_REPOSITORY_LOCK;
        if (db.update(lock).set(lock.EVENTS, lock.EVENTS.plus(1)).where(lock.REPOSITORY_ID.eq(repositoryId)).execute() == 0) {
            db.insertInto(lock).set(lock.REPOSITORY_ID, repositoryId).set(lock.EVENTS, 0L).onDuplicateKeyIgnore().execute();
            db.update(lock).set(lock.EVENTS, lock.EVENTS.plus(1)).where(lock.REPOSITORY_ID.eq(repositoryId)).execute();
        }
    }

    // Pull requests ----------------------------------------------------------------------------------------

    /** The pull request, locked until the transaction ends, or null when there is none. */
    PullRequestFact lockPullRequest(long repositoryId, long number) {
        return lockPullRequests(AN_PULL_REQUEST.REPOSITORY_ID.eq(repositoryId).and(AN_PULL_REQUEST.NUMBER.eq(number)))
                .stream().findFirst().orElse(null);
    }

    /**
     * What a batch of events will ask for, locked, in one statement: the pull requests it names, those of the
     * branches it pushes to whose first commit is unknown or later than branchFrom, and those merged by mergedTo
     * whose deployment is unknown or later than mergedFrom.
     */
    List<PullRequestFact> lockPullRequests(long repositoryId, Collection<Long> numbers, Collection<String> branches,
                                           Instant branchFrom, Instant mergedFrom, Instant mergedTo) {
        var p = AN_PULL_REQUEST;
        Condition any = DSL.falseCondition();
        if (!numbers.isEmpty()) {
            any = any.or(p.NUMBER.in(numbers));
        }
        if (!branches.isEmpty()) {
            any = any.or(p.HEAD_REF.in(branches).and(branchesFrom(branchFrom)));
        }
        if (mergedTo != null) {
            any = any.or(mergedBy(mergedFrom, mergedTo));
        }
        return lockPullRequests(p.REPOSITORY_ID.eq(repositoryId).and(any));
    }

    /** The branch's pull requests whose first commit is unknown or later than the time, locked. */
    List<PullRequestFact> lockPullRequestsOfBranch(long repositoryId, String branch, Instant firstCommit) {
        var p = AN_PULL_REQUEST;
        return lockPullRequests(p.REPOSITORY_ID.eq(repositoryId).and(p.HEAD_REF.eq(branch)).and(branchesFrom(firstCommit)));
    }

    private static Condition branchesFrom(Instant firstCommit) {
        return AN_PULL_REQUEST.FIRST_COMMIT_AT.isNull().or(AN_PULL_REQUEST.FIRST_COMMIT_AT.gt(time(firstCommit)));
    }

    /** The pull requests merged at or before the time whose deployment is unknown or later than it, locked. */
    List<PullRequestFact> lockPullRequestsMergedBy(long repositoryId, Instant deployed) {
        return lockPullRequests(AN_PULL_REQUEST.REPOSITORY_ID.eq(repositoryId).and(mergedBy(deployed, deployed)));
    }

    /** Merged by to, and not deployed by from: for from = to, the pull requests a deployment then deploys. */
    private static Condition mergedBy(Instant from, Instant to) {
        var p = AN_PULL_REQUEST;
        return p.MERGED_AT.le(time(to)).and(p.DEPLOYED_AT.isNull().or(p.DEPLOYED_AT.gt(time(from))));
    }

    private List<PullRequestFact> lockPullRequests(Condition condition) {
        return db.selectFrom(AN_PULL_REQUEST).where(condition)
                .orderBy(AN_PULL_REQUEST.REPOSITORY_ID, AN_PULL_REQUEST.NUMBER)
                .forUpdate().fetch(FactStore::pullRequest);
    }

    static PullRequestFact pullRequest(AnPullRequestRecord r) {
        return new PullRequestFact(r.getRepositoryId(), r.getNumber(), r.getAuthor(), r.getState(), r.getDraft(),
                instant(r.getSnapshotAt()), instant(r.getCreatedAt()), instant(r.getMergedAt()), instant(r.getClosedAt()),
                r.getMergedBy(), r.getMergeSha(), r.getHeadRef(), r.getAdditions(), r.getDeletions(),
                instant(r.getFirstCommitAt()), instant(r.getFirstResponseAt()), instant(r.getFirstReviewAt()),
                instant(r.getDeployedAt()));
    }

    /** The span columns, in the order of {@link #spans}. */
    private static final List<Field<?>> SPAN_COLUMNS = List.of(AN_PULL_REQUEST.CODING_SECONDS, AN_PULL_REQUEST.PICKUP_SECONDS,
            AN_PULL_REQUEST.REVIEW_SECONDS, AN_PULL_REQUEST.DEPLOY_SECONDS, AN_PULL_REQUEST.CYCLE_SECONDS,
            AN_PULL_REQUEST.MERGE_SECONDS, AN_PULL_REQUEST.LEAD_SECONDS);

    private static final List<Field<?>> PULL_REQUEST_VALUES = concat(List.of(AN_PULL_REQUEST.AUTHOR, AN_PULL_REQUEST.STATE,
            AN_PULL_REQUEST.DRAFT, AN_PULL_REQUEST.SNAPSHOT_AT, AN_PULL_REQUEST.CREATED_AT, AN_PULL_REQUEST.MERGED_AT,
            AN_PULL_REQUEST.CLOSED_AT, AN_PULL_REQUEST.MERGED_BY, AN_PULL_REQUEST.MERGE_SHA, AN_PULL_REQUEST.HEAD_REF,
            AN_PULL_REQUEST.ADDITIONS, AN_PULL_REQUEST.DELETIONS, AN_PULL_REQUEST.FIRST_COMMIT_AT,
            AN_PULL_REQUEST.FIRST_RESPONSE_AT, AN_PULL_REQUEST.FIRST_REVIEW_AT, AN_PULL_REQUEST.DEPLOYED_AT), SPAN_COLUMNS);

    private static Object[] values(PullRequestFact pr) {
        Long[] spans = spans(pr);
        return new Object[] {pr.author(), pr.state(), pr.draft(), time(pr.snapshotAt()), time(pr.createdAt()),
                time(pr.mergedAt()), time(pr.closedAt()), pr.mergedBy(), pr.mergeSha(), pr.headRef(), pr.additions(),
                pr.deletions(), time(pr.firstCommitAt()), time(pr.firstResponseAt()), time(pr.firstReviewAt()),
                time(pr.deployedAt()), spans[0], spans[1], spans[2], spans[3], spans[4], spans[5], spans[6]};
    }

    /** The span columns' values of the pull request: coding, pickup, review, deploy, cycle, merge and lead seconds. */
    static Long[] spans(PullRequestFact pr) {
        Long lead = Contributions.lead(pr);
        if (!pr.merged()) {
            return new Long[] {null, null, null, null, null, null, lead};
        }
        var s = Contributions.spans(pr);
        return new Long[] {s.coding(), s.pickup(), s.review(), s.deploy(), s.cycle(), s.merge(), lead};
    }

    /** The span columns as stored in the row, in the order of {@link #spans}. */
    static Long[] storedSpans(AnPullRequestRecord r) {
        return SPAN_COLUMNS.stream().map(column -> (Long) r.get(column)).toArray(Long[]::new);
    }

    /** The span columns with the given values, in the order of {@link #spans}, as an update sets them. */
    static Map<Field<?>, Object> spanColumns(Long[] spans) {
        Map<Field<?>, Object> set = new LinkedHashMap<>();
        for (int i = 0; i < SPAN_COLUMNS.size(); i++) {
            set.put(SPAN_COLUMNS.get(i), spans[i]);
        }
        return set;
    }

    /** The new and the changed pull requests. A concurrent insert of the same one fails the transaction, and ingest retries it. */
    void writePullRequests(List<PullRequestFact> inserts, List<PullRequestFact> updates) {
        var p = AN_PULL_REQUEST;
        insert(p, concat(List.of(p.REPOSITORY_ID, p.NUMBER), PULL_REQUEST_VALUES), false,
                inserts.stream().map(pr -> concat(new Object[] {pr.repositoryId(), pr.number()}, values(pr))).toList());
        update(p, PULL_REQUEST_VALUES, List.of(p.REPOSITORY_ID, p.NUMBER),
                updates.stream().map(pr -> concat(values(pr), new Object[] {pr.repositoryId(), pr.number()})).toList());
    }

    /** The earliest commit authored on each of the branches that has one: the start of coding time. */
    Map<String, Instant> firstCommits(long repositoryId, Collection<String> branches) {
        var b = AN_BRANCH;
        Map<String, Instant> first = new HashMap<>();
        if (!branches.isEmpty()) {
            db.select(b.BRANCH, b.FIRST_COMMIT_AT).from(b).where(b.REPOSITORY_ID.eq(repositoryId)).and(b.BRANCH.in(branches))
                    .forEach(r -> first.put(r.value1(), instant(r.value2())));
        }
        return first;
    }

    /** Moves each branch's first commit to the given time where that is earlier, or records it. */
    void firstCommitsAt(long repositoryId, Map<String, Instant> firstByBranch) {
        var b = AN_BRANCH;
        rows.write("an_branch: first commit", () -> db.insertInto(b, b.REPOSITORY_ID, b.BRANCH, b.FIRST_COMMIT_AT)
                        .values((Long) null, null, null)
                        .onDuplicateKeyUpdate().set(b.FIRST_COMMIT_AT, DSL.least(b.FIRST_COMMIT_AT, DSL.excluded(b.FIRST_COMMIT_AT))),
                firstByBranch.entrySet().stream().map(e -> new Object[] {repositoryId, e.getKey(), time(e.getValue())}).toList());
    }

    /** A production deployment's key and finish. */
    record Finish(String source, String forgeId, Instant finishedAt) {
    }

    /**
     * The production deployments that finished from the first time up to the first one at or after the second,
     * in order of their finish: for any merge between the two times, the first deployment at or after it is among them.
     */
    List<Finish> productionFinishes(long repositoryId, Instant from, Instant to) {
        var d = AN_DEPLOYMENT;
        Condition production = d.REPOSITORY_ID.eq(repositoryId).and(d.PRODUCTION.isTrue());
        var firstAfter = DSL.select(DSL.min(d.FINISHED_AT)).from(d).where(production).and(d.FINISHED_AT.ge(time(to)));
        return db.select(d.SOURCE, d.FORGE_ID, d.FINISHED_AT).from(d).where(production).and(d.FINISHED_AT.ge(time(from)))
                .and(d.FINISHED_AT.le(DSL.coalesce(firstAfter.<OffsetDateTime>asField(), DSL.val(time(to), d.FINISHED_AT))))
                .orderBy(d.FINISHED_AT, d.SOURCE, d.FORGE_ID)
                .fetch(r -> new Finish(r.value1(), r.value2(), instant(r.value3())));
    }

    /** The finish of the first production deployment at or after the merge: the end of deploy time. */
    Instant firstDeploymentAfter(long repositoryId, Instant mergedAt) {
        return instant(db.select(DSL.min(AN_DEPLOYMENT.FINISHED_AT)).from(AN_DEPLOYMENT)
                .where(AN_DEPLOYMENT.REPOSITORY_ID.eq(repositoryId)).and(AN_DEPLOYMENT.PRODUCTION.isTrue())
                .and(AN_DEPLOYMENT.FINISHED_AT.ge(time(mergedAt)))
                .fetchOne(0, OffsetDateTime.class));
    }

    // Responses, reviewers, commits --------------------------------------------------------------------------

    /** A review or comment on a pull request, as an_response keeps it: its key is (kind, forgeId). */
    record ResponseRow(long number, String kind, String forgeId, String actor, String prAuthor, Instant at) {
    }

    /** The responses to the pull requests, and those among the given reviews and comments whatever they answer. */
    List<ResponseRow> responses(long repositoryId, Collection<Long> numbers, Collection<String> reviewIds,
                                Collection<String> commentIds) {
        var r = AN_RESPONSE;
        Condition any = DSL.falseCondition();
        if (!numbers.isEmpty()) {
            any = any.or(r.NUMBER.in(numbers));
        }
        if (!reviewIds.isEmpty()) {
            any = any.or(r.KIND.eq("review").and(r.FORGE_ID.in(reviewIds)));
        }
        if (!commentIds.isEmpty()) {
            any = any.or(r.KIND.eq("comment").and(r.FORGE_ID.in(commentIds)));
        }
        return db.selectFrom(r).where(r.REPOSITORY_ID.eq(repositoryId).and(any))
                .fetch(x -> new ResponseRow(x.getNumber(), x.getKind(), x.getForgeId(), x.getActor(), x.getPrAuthor(), instant(x.getAt())));
    }

    void insertResponses(long repositoryId, List<ResponseRow> rows) {
        var r = AN_RESPONSE;
        insert(r, List.of(r.REPOSITORY_ID, r.NUMBER, r.KIND, r.FORGE_ID, r.ACTOR, r.PR_AUTHOR, r.AT), true, rows.stream()
                .map(x -> new Object[] {repositoryId, x.number(), x.kind(), x.forgeId(), x.actor(), x.prAuthor(), time(x.at())})
                .toList());
    }

    List<ReviewerFact> reviewers(long repositoryId, Collection<Long> numbers) {
        var r = AN_PR_REVIEWER;
        return numbers.isEmpty() ? List.of() : db.selectFrom(r).where(r.REPOSITORY_ID.eq(repositoryId)).and(r.NUMBER.in(numbers))
                .forUpdate().fetch(x -> new ReviewerFact(repositoryId, x.getNumber(), x.getReviewer(), instant(x.getFirstAt())));
    }

    void writeReviewers(List<ReviewerFact> inserts, List<ReviewerFact> updates) {
        var r = AN_PR_REVIEWER;
        insert(r, List.of(r.REPOSITORY_ID, r.NUMBER, r.REVIEWER, r.FIRST_AT), false, inserts.stream()
                .map(x -> new Object[] {x.repositoryId(), x.number(), x.reviewer(), time(x.firstAt())}).toList());
        update(r, List.of(r.FIRST_AT), List.of(r.REPOSITORY_ID, r.NUMBER, r.REVIEWER), updates.stream()
                .map(x -> new Object[] {time(x.firstAt()), x.repositoryId(), x.number(), x.reviewer()}).toList());
    }

    /** The commits among these that are already known (the repository's lock keeps this true until commit). */
    Set<String> knownCommits(long repositoryId, Collection<String> shas) {
        return shas.isEmpty() ? new HashSet<>() : new HashSet<>(db.select(AN_COMMIT.SHA).from(AN_COMMIT)
                .where(AN_COMMIT.REPOSITORY_ID.eq(repositoryId)).and(AN_COMMIT.SHA.in(shas)).fetch(AN_COMMIT.SHA));
    }

    void insertCommits(List<CommitRow> commits) {
        var c = AN_COMMIT;
        insert(c, List.of(c.REPOSITORY_ID, c.SHA, c.ACTOR, c.AUTHORED_AT, c.ADDITIONS, c.DELETIONS), true, commits.stream()
                .map(x -> new Object[] {x.repositoryId(), x.sha(), x.actor(), time(x.authoredAt()), x.additions(), x.deletions()})
                .toList());
    }

    record CommitRow(long repositoryId, String sha, String actor, Instant authoredAt, int additions, int deletions) {
    }

    // Deployments and incidents ------------------------------------------------------------------------------

    /** The deployments with these forge ids, of any source, locked. */
    List<AnDeploymentRecord> lockDeployments(long repositoryId, Collection<String> forgeIds) {
        return forgeIds.isEmpty() ? List.of() : db.selectFrom(AN_DEPLOYMENT)
                .where(AN_DEPLOYMENT.REPOSITORY_ID.eq(repositoryId)).and(AN_DEPLOYMENT.FORGE_ID.in(forgeIds))
                .forUpdate().fetch();
    }

    private static final List<Field<?>> DEPLOYMENT_VALUES = List.of(AN_DEPLOYMENT.ENVIRONMENT, AN_DEPLOYMENT.SHA,
            AN_DEPLOYMENT.CREATED_AT, AN_DEPLOYMENT.FINISHED_AT, AN_DEPLOYMENT.PRODUCTION, AN_DEPLOYMENT.INCIDENT_COUNT);
    private static final List<Field<?>> DEPLOYMENT_KEY = List.of(AN_DEPLOYMENT.REPOSITORY_ID, AN_DEPLOYMENT.SOURCE,
            AN_DEPLOYMENT.FORGE_ID);
    /** The order of an insert's values, and of an update's: set values, then the key. */
    private static final List<Field<?>> DEPLOYMENT_INSERTED = concat(DEPLOYMENT_KEY, DEPLOYMENT_VALUES);
    private static final List<Field<?>> DEPLOYMENT_UPDATED = concat(DEPLOYMENT_VALUES, DEPLOYMENT_KEY);

    /** The new and the changed deployments. */
    void writeDeployments(List<AnDeploymentRecord> inserts, List<AnDeploymentRecord> updates) {
        insert(AN_DEPLOYMENT, DEPLOYMENT_INSERTED, false, inserts.stream().map(d -> values(d, DEPLOYMENT_INSERTED)).toList());
        update(AN_DEPLOYMENT, DEPLOYMENT_VALUES, DEPLOYMENT_KEY, updates.stream().map(d -> values(d, DEPLOYMENT_UPDATED)).toList());
    }

    private static Object[] values(AnDeploymentRecord deployment, List<Field<?>> columns) {
        return columns.stream().map(deployment::get).toArray();
    }

    static DeploymentFact deployment(AnDeploymentRecord r) {
        return r == null ? null : new DeploymentFact(r.getRepositoryId(), r.getSource(), r.getForgeId(), r.getEnvironment(),
                instant(r.getFinishedAt()), r.getProduction(), r.getIncidentCount());
    }

    AnDeploymentRecord newDeployment() {
        return db.newRecord(AN_DEPLOYMENT);
    }

    /** The latest production deployment finished at or before the time: the one an incident then is blamed on. */
    AnDeploymentRecord latestDeploymentAtOrBefore(long repositoryId, Instant at) {
        return db.selectFrom(AN_DEPLOYMENT)
                .where(AN_DEPLOYMENT.REPOSITORY_ID.eq(repositoryId)).and(AN_DEPLOYMENT.PRODUCTION.isTrue())
                .and(AN_DEPLOYMENT.FINISHED_AT.le(time(at)))
                .orderBy(AN_DEPLOYMENT.FINISHED_AT.desc(), AN_DEPLOYMENT.SOURCE.desc(), AN_DEPLOYMENT.FORGE_ID.desc())
                .limit(1).fetchOne();
    }

    /** The incidents among the issues, and those created at or after the time (when given), locked. */
    List<AnIncidentRecord> lockIncidents(long repositoryId, Collection<Long> numbers, Instant createdFrom) {
        Condition any = numbers.isEmpty() ? DSL.falseCondition() : AN_INCIDENT.NUMBER.in(numbers);
        if (createdFrom != null) {
            any = any.or(AN_INCIDENT.CREATED_AT.ge(time(createdFrom)));
        }
        return db.selectFrom(AN_INCIDENT).where(AN_INCIDENT.REPOSITORY_ID.eq(repositoryId)).and(any)
                .orderBy(AN_INCIDENT.NUMBER).forUpdate().fetch();
    }

    AnIncidentRecord lockIncident(long repositoryId, long number) {
        return db.selectFrom(AN_INCIDENT)
                .where(AN_INCIDENT.REPOSITORY_ID.eq(repositoryId)).and(AN_INCIDENT.NUMBER.eq(number))
                .forUpdate().fetchOne();
    }

    AnIncidentRecord newIncident() {
        return db.newRecord(AN_INCIDENT);
    }

    // Writing many rows --------------------------------------------------------------------------------------

    private void insert(Table<?> table, List<Field<?>> columns, boolean ignoreKnown, List<Object[]> rows) {
        this.rows.write(table.getName() + (ignoreKnown ? ": insert new" : ": insert"), () -> {
            var insert = db.insertInto(table, columns).values(new Object[columns.size()]);
            return ignoreKnown ? insert.onDuplicateKeyIgnore() : insert;
        }, rows);
    }

    /** Updates rows by key: each row is the set values followed by the key values. */
    private void update(Table<?> table, List<Field<?>> set, List<Field<?>> key, List<Object[]> rows) {
        this.rows.write(table.getName() + ": update", () -> {
            Map<Field<?>, Object> values = new LinkedHashMap<>();
            set.forEach(column -> values.put(column, null));
            Condition where = DSL.noCondition();
            for (Field<?> column : key) {
                where = where.and(equalsParameter(column));
            }
            return db.update(table).set(values).where(where);
        }, rows);
    }

    private static <T> Condition equalsParameter(Field<T> column) {
        return column.eq((T) null);
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static List<Field<?>> concat(List<Field<?>> a, List<Field<?>> b) {
        List<Field<?>> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }
}
