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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import dev.forgeline.analytics.internal.Facts.DeploymentFact;
import dev.forgeline.analytics.internal.Facts.PullRequestFact;
import dev.forgeline.analytics.internal.Facts.ReviewerFact;
import dev.forgeline.platform.TransactionScoped;
import dev.forgeline.schema.tables.records.AnDeploymentRecord;
import dev.forgeline.schema.tables.records.AnIncidentRecord;
import dev.forgeline.schema.tables.records.AnPullRequestRecord;

/** Reads and writes the fact tables. Reads meant for an update lock the row, so concurrent events on one object queue up. */
@Repository
class FactStore {

    private final DSLContext db;
    private final Object pendingKey = new Object();
    private final Object branchesReadKey = new Object();

    FactStore(DSLContext db) {
        this.db = db;
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

    /**
     * The pull request, locked until the transaction ends, or null when there is none. In a transaction, pull
     * requests once read are kept with their changes and written once, just before the commit: a batch of one
     * repository's deliveries reads and changes the same few pull requests again and again.
     */
    PullRequestFact lockPullRequest(long repositoryId, long number) {
        Map<PullRequestKey, Pending> pending = pending();
        PullRequestKey key = new PullRequestKey(repositoryId, number);
        Pending known = pending == null ? null : pending.get(key);
        if (known != null) {
            return known.now;
        }
        PullRequestFact stored = db.selectFrom(AN_PULL_REQUEST)
                .where(AN_PULL_REQUEST.REPOSITORY_ID.eq(repositoryId)).and(AN_PULL_REQUEST.NUMBER.eq(number))
                .forUpdate().fetchOptional().map(FactStore::pullRequest).orElse(null);
        if (pending != null) {
            pending.put(key, new Pending(stored));
        }
        return stored;
    }

    /**
     * The branch's pull requests whose first commit is unknown or later than the time, locked. Every push asks; in
     * a transaction the stored rows are read once per branch unless a push brings an earlier commit than before.
     */
    List<PullRequestFact> lockPullRequestsOfBranch(long repositoryId, String branch, Instant firstCommit) {
        var p = AN_PULL_REQUEST;
        Predicate<PullRequestFact> matches = pr -> pr.repositoryId() == repositoryId && branch.equals(pr.headRef())
                && (pr.firstCommitAt() == null || pr.firstCommitAt().isAfter(firstCommit));
        Map<BranchKey, Instant> branchesRead = TransactionScoped.get(branchesReadKey, HashMap::new, read -> { });
        BranchKey key = new BranchKey(repositoryId, branch);
        Instant readFrom = branchesRead == null ? null : branchesRead.get(key);
        if (readFrom != null && !firstCommit.isBefore(readFrom)) {
            // Any stored row this would select was selected from readFrom on, and is among the pending ones.
            return inMemory(pending(), matches);
        }
        if (branchesRead != null) {
            branchesRead.put(key, firstCommit);
        }
        return lockPullRequests(p.REPOSITORY_ID.eq(repositoryId).and(p.HEAD_REF.eq(branch))
                .and(p.FIRST_COMMIT_AT.isNull().or(p.FIRST_COMMIT_AT.gt(time(firstCommit)))), matches);
    }

    private record BranchKey(long repositoryId, String branch) {
    }

    /** The pull requests merged at or before the time whose deployment is unknown or later than it, locked. */
    List<PullRequestFact> lockPullRequestsMergedBy(long repositoryId, Instant deployed) {
        var p = AN_PULL_REQUEST;
        return lockPullRequests(p.REPOSITORY_ID.eq(repositoryId).and(p.MERGED_AT.le(time(deployed)))
                        .and(p.DEPLOYED_AT.isNull().or(p.DEPLOYED_AT.gt(time(deployed)))),
                pr -> pr.repositoryId() == repositoryId && pr.mergedAt() != null && !pr.mergedAt().isAfter(deployed)
                        && (pr.deployedAt() == null || pr.deployedAt().isAfter(deployed)));
    }

    /**
     * The pull requests the condition selects. In a transaction, what it changed but has not written yet counts:
     * matches says of a pull request in memory what the condition says of a row.
     */
    private List<PullRequestFact> lockPullRequests(Condition condition, Predicate<PullRequestFact> matches) {
        List<PullRequestFact> stored = db.selectFrom(AN_PULL_REQUEST).where(condition)
                .orderBy(AN_PULL_REQUEST.REPOSITORY_ID, AN_PULL_REQUEST.NUMBER)
                .forUpdate().fetch(FactStore::pullRequest);
        Map<PullRequestKey, Pending> pending = pending();
        if (pending == null) {
            return stored;
        }
        stored.forEach(pr -> pending.putIfAbsent(new PullRequestKey(pr.repositoryId(), pr.number()), new Pending(pr)));
        return inMemory(pending, matches);
    }

    private static List<PullRequestFact> inMemory(Map<PullRequestKey, Pending> pending, Predicate<PullRequestFact> matches) {
        return pending.values().stream().map(known -> known.now).filter(pr -> pr != null && matches.test(pr))
                .sorted(Comparator.comparingLong(PullRequestFact::repositoryId).thenComparingLong(PullRequestFact::number))
                .toList();
    }

    static PullRequestFact pullRequest(AnPullRequestRecord r) {
        return new PullRequestFact(r.getRepositoryId(), r.getNumber(), r.getAuthor(), r.getState(), r.getDraft(),
                instant(r.getSnapshotAt()), instant(r.getCreatedAt()), instant(r.getMergedAt()), instant(r.getClosedAt()),
                r.getMergedBy(), r.getMergeSha(), r.getHeadRef(), r.getAdditions(), r.getDeletions(),
                instant(r.getFirstCommitAt()), instant(r.getFirstResponseAt()), instant(r.getFirstReviewAt()),
                instant(r.getDeployedAt()));
    }

    /** Writes the pull request now, or in a transaction just before its commit. old is what lockPullRequest gave. */
    void write(PullRequestFact old, PullRequestFact pr) {
        if (Objects.equals(old, pr)) {
            return;
        }
        Map<PullRequestKey, Pending> pending = pending();
        if (pending != null) {
            pending.computeIfAbsent(new PullRequestKey(pr.repositoryId(), pr.number()), key -> new Pending(old)).now = pr;
            return;
        }
        writePullRequests(old == null ? List.of(pr) : List.of(), old == null ? List.of() : List.of(pr));
    }

    private record PullRequestKey(long repositoryId, long number) {
    }

    /** A pull request read in this transaction: as stored (null: no row yet) and as it is now. */
    private static final class Pending {
        final PullRequestFact stored;
        PullRequestFact now;

        Pending(PullRequestFact stored) {
            this.stored = stored;
            this.now = stored;
        }
    }

    private Map<PullRequestKey, Pending> pending() {
        return TransactionScoped.get(pendingKey, HashMap::new, pending -> {
            List<PullRequestFact> inserts = new ArrayList<>();
            List<PullRequestFact> updates = new ArrayList<>();
            pending.values().stream()
                    .filter(known -> known.now != null && !known.now.equals(known.stored))
                    .sorted(Comparator.comparingLong((Pending known) -> known.now.repositoryId()).thenComparingLong(known -> known.now.number()))
                    .forEach(known -> (known.stored == null ? inserts : updates).add(known.now));
            writePullRequests(inserts, updates);
        });
    }

    private static final List<Field<?>> PULL_REQUEST_VALUES = List.of(AN_PULL_REQUEST.AUTHOR, AN_PULL_REQUEST.STATE,
            AN_PULL_REQUEST.DRAFT, AN_PULL_REQUEST.SNAPSHOT_AT, AN_PULL_REQUEST.CREATED_AT, AN_PULL_REQUEST.MERGED_AT,
            AN_PULL_REQUEST.CLOSED_AT, AN_PULL_REQUEST.MERGED_BY, AN_PULL_REQUEST.MERGE_SHA, AN_PULL_REQUEST.HEAD_REF,
            AN_PULL_REQUEST.ADDITIONS, AN_PULL_REQUEST.DELETIONS, AN_PULL_REQUEST.FIRST_COMMIT_AT,
            AN_PULL_REQUEST.FIRST_RESPONSE_AT, AN_PULL_REQUEST.FIRST_REVIEW_AT, AN_PULL_REQUEST.DEPLOYED_AT);

    private static Object[] values(PullRequestFact pr) {
        return new Object[] {pr.author(), pr.state(), pr.draft(), time(pr.snapshotAt()), time(pr.createdAt()),
                time(pr.mergedAt()), time(pr.closedAt()), pr.mergedBy(), pr.mergeSha(), pr.headRef(), pr.additions(),
                pr.deletions(), time(pr.firstCommitAt()), time(pr.firstResponseAt()), time(pr.firstReviewAt()),
                time(pr.deployedAt())};
    }

    /**
     * One statement each for the new and the changed pull requests, rendered once and sent with every row's values:
     * building SQL text is a large part of a delivery's cost. A concurrent insert of the same pull request fails the
     * transaction, and ingest retries it.
     */
    private void writePullRequests(List<PullRequestFact> inserts, List<PullRequestFact> updates) {
        var p = AN_PULL_REQUEST;
        if (!inserts.isEmpty()) {
            List<Field<?>> columns = new ArrayList<>(List.of(p.REPOSITORY_ID, p.NUMBER));
            columns.addAll(PULL_REQUEST_VALUES);
            var batch = db.batch(db.insertInto(p, columns).values(new Object[columns.size()]));
            for (PullRequestFact pr : inserts) {
                batch = batch.bind(concat(new Object[] {pr.repositoryId(), pr.number()}, values(pr)));
            }
            batch.execute();
        }
        if (!updates.isEmpty()) {
            Map<Field<?>, Object> set = new LinkedHashMap<>();
            PULL_REQUEST_VALUES.forEach(column -> set.put(column, null));
            var batch = db.batch(db.update(p).set(set).where(p.REPOSITORY_ID.eq((Long) null)).and(p.NUMBER.eq((Long) null)));
            for (PullRequestFact pr : updates) {
                batch = batch.bind(concat(values(pr), new Object[] {pr.repositoryId(), pr.number()}));
            }
            batch.execute();
        }
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** The earliest commit authored on the branch: the start of coding time. */
    Instant firstCommit(long repositoryId, String branch) {
        if (branch == null) {
            return null;
        }
        return instant(db.select(DSL.min(AN_BRANCH_COMMIT.AUTHORED_AT)).from(AN_BRANCH_COMMIT)
                .where(AN_BRANCH_COMMIT.REPOSITORY_ID.eq(repositoryId)).and(AN_BRANCH_COMMIT.BRANCH.eq(branch))
                .fetchOne(0, OffsetDateTime.class));
    }

    /** The first review or comment (or only review, when kind is given) by someone other than the author. */
    Instant firstResponse(long repositoryId, long number, String author, String kind) {
        Condition condition = AN_RESPONSE.REPOSITORY_ID.eq(repositoryId).and(AN_RESPONSE.NUMBER.eq(number));
        if (author != null) {
            condition = condition.and(AN_RESPONSE.ACTOR.ne(author));
        }
        if (kind != null) {
            condition = condition.and(AN_RESPONSE.KIND.eq(kind));
        }
        return instant(db.select(DSL.min(AN_RESPONSE.AT)).from(AN_RESPONSE).where(condition).fetchOne(0, OffsetDateTime.class));
    }

    /** The finish of the first production deployment at or after the merge: the end of deploy time. */
    Instant firstDeploymentAfter(long repositoryId, Instant mergedAt) {
        return instant(db.select(DSL.min(AN_DEPLOYMENT.FINISHED_AT)).from(AN_DEPLOYMENT)
                .where(AN_DEPLOYMENT.REPOSITORY_ID.eq(repositoryId)).and(AN_DEPLOYMENT.PRODUCTION.isTrue())
                .and(AN_DEPLOYMENT.FINISHED_AT.ge(time(mergedAt)))
                .fetchOne(0, OffsetDateTime.class));
    }

    // Responses, reviewers, commits --------------------------------------------------------------------------

    boolean insertResponse(long repositoryId, long number, String kind, String forgeId, String actor, String prAuthor, Instant at) {
        return db.insertInto(AN_RESPONSE)
                .set(AN_RESPONSE.REPOSITORY_ID, repositoryId)
                .set(AN_RESPONSE.NUMBER, number)
                .set(AN_RESPONSE.KIND, kind)
                .set(AN_RESPONSE.FORGE_ID, forgeId)
                .set(AN_RESPONSE.ACTOR, actor)
                .set(AN_RESPONSE.PR_AUTHOR, prAuthor)
                .set(AN_RESPONSE.AT, time(at))
                .onDuplicateKeyIgnore().execute() == 1;
    }

    ReviewerFact lockReviewer(long repositoryId, long number, String reviewer) {
        return db.selectFrom(AN_PR_REVIEWER)
                .where(AN_PR_REVIEWER.REPOSITORY_ID.eq(repositoryId)).and(AN_PR_REVIEWER.NUMBER.eq(number))
                .and(AN_PR_REVIEWER.REVIEWER.eq(reviewer))
                .forUpdate().fetchOptional()
                .map(r -> new ReviewerFact(repositoryId, number, reviewer, instant(r.getFirstAt()))).orElse(null);
    }

    void write(ReviewerFact old, ReviewerFact now) {
        if (old == null) {
            db.insertInto(AN_PR_REVIEWER)
                    .set(AN_PR_REVIEWER.REPOSITORY_ID, now.repositoryId())
                    .set(AN_PR_REVIEWER.NUMBER, now.number())
                    .set(AN_PR_REVIEWER.REVIEWER, now.reviewer())
                    .set(AN_PR_REVIEWER.FIRST_AT, time(now.firstAt()))
                    .execute();
        } else {
            db.update(AN_PR_REVIEWER).set(AN_PR_REVIEWER.FIRST_AT, time(now.firstAt()))
                    .where(AN_PR_REVIEWER.REPOSITORY_ID.eq(now.repositoryId())).and(AN_PR_REVIEWER.NUMBER.eq(now.number()))
                    .and(AN_PR_REVIEWER.REVIEWER.eq(now.reviewer()))
                    .execute();
        }
    }

    /** The commits among these that are already known (the repository's lock keeps this true until commit). */
    Set<String> knownCommits(long repositoryId, Collection<String> shas) {
        return new HashSet<>(db.select(AN_COMMIT.SHA).from(AN_COMMIT)
                .where(AN_COMMIT.REPOSITORY_ID.eq(repositoryId)).and(AN_COMMIT.SHA.in(shas)).fetch(AN_COMMIT.SHA));
    }

    /** Inserts new commits in one statement. */
    void insertCommits(List<CommitRow> commits) {
        if (commits.isEmpty()) {
            return;
        }
        var insert = db.insertInto(AN_COMMIT, AN_COMMIT.REPOSITORY_ID, AN_COMMIT.SHA, AN_COMMIT.ACTOR, AN_COMMIT.AUTHORED_AT,
                AN_COMMIT.ADDITIONS, AN_COMMIT.DELETIONS);
        for (CommitRow c : commits) {
            insert = insert.values(c.repositoryId(), c.sha(), c.actor(), time(c.authoredAt()), c.additions(), c.deletions());
        }
        insert.onDuplicateKeyIgnore().execute();
    }

    record CommitRow(long repositoryId, String sha, String actor, Instant authoredAt, int additions, int deletions) {
    }

    /** Records which branch the commits were pushed to, in one statement. */
    void insertBranchCommits(long repositoryId, String branch, Map<String, Instant> authoredBySha) {
        if (authoredBySha.isEmpty()) {
            return;
        }
        var insert = db.insertInto(AN_BRANCH_COMMIT, AN_BRANCH_COMMIT.REPOSITORY_ID, AN_BRANCH_COMMIT.BRANCH, AN_BRANCH_COMMIT.SHA,
                AN_BRANCH_COMMIT.AUTHORED_AT);
        for (var e : authoredBySha.entrySet()) {
            insert = insert.values(repositoryId, branch, e.getKey(), time(e.getValue()));
        }
        insert.onDuplicateKeyIgnore().execute();
    }

    // Deployments and incidents ------------------------------------------------------------------------------

    AnDeploymentRecord lockDeployment(long repositoryId, String source, String forgeId) {
        return db.selectFrom(AN_DEPLOYMENT)
                .where(AN_DEPLOYMENT.REPOSITORY_ID.eq(repositoryId)).and(AN_DEPLOYMENT.SOURCE.eq(source))
                .and(AN_DEPLOYMENT.FORGE_ID.eq(forgeId))
                .forUpdate().fetchOne();
    }

    /** Inserts the deployment unless it is known: whether it was new. */
    boolean insertDeployment(AnDeploymentRecord deployment) {
        return db.insertInto(AN_DEPLOYMENT).set(deployment).onDuplicateKeyIgnore().execute() == 1;
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

    AnIncidentRecord lockIncident(long repositoryId, long number) {
        return db.selectFrom(AN_INCIDENT)
                .where(AN_INCIDENT.REPOSITORY_ID.eq(repositoryId)).and(AN_INCIDENT.NUMBER.eq(number))
                .forUpdate().fetchOne();
    }

    List<AnIncidentRecord> lockIncidentsFrom(long repositoryId, Instant from) {
        return db.selectFrom(AN_INCIDENT)
                .where(AN_INCIDENT.REPOSITORY_ID.eq(repositoryId)).and(AN_INCIDENT.CREATED_AT.ge(time(from)))
                .orderBy(AN_INCIDENT.NUMBER)
                .forUpdate().fetch();
    }

    AnIncidentRecord newIncident() {
        return db.newRecord(AN_INCIDENT);
    }
}
