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
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import dev.forgeline.analytics.internal.Facts.DeploymentFact;
import dev.forgeline.analytics.internal.Facts.PullRequestFact;
import dev.forgeline.analytics.internal.Facts.ReviewerFact;
import dev.forgeline.schema.tables.records.AnDeploymentRecord;
import dev.forgeline.schema.tables.records.AnIncidentRecord;
import dev.forgeline.schema.tables.records.AnPullRequestRecord;

/** Reads and writes the fact tables. Reads meant for an update lock the row, so concurrent events on one object queue up. */
@Repository
class FactStore {

    private final DSLContext db;

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

    PullRequestFact lockPullRequest(long repositoryId, long number) {
        return db.selectFrom(AN_PULL_REQUEST)
                .where(AN_PULL_REQUEST.REPOSITORY_ID.eq(repositoryId)).and(AN_PULL_REQUEST.NUMBER.eq(number))
                .forUpdate().fetchOptional().map(FactStore::pullRequest).orElse(null);
    }

    List<PullRequestFact> lockPullRequests(Condition condition) {
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

    void write(PullRequestFact old, PullRequestFact pr) {
        if (Objects.equals(old, pr)) {
            return;
        }
        var record = db.newRecord(AN_PULL_REQUEST);
        record.setRepositoryId(pr.repositoryId());
        record.setNumber(pr.number());
        record.setAuthor(pr.author());
        record.setState(pr.state());
        record.setDraft(pr.draft());
        record.setSnapshotAt(time(pr.snapshotAt()));
        record.setCreatedAt(time(pr.createdAt()));
        record.setMergedAt(time(pr.mergedAt()));
        record.setClosedAt(time(pr.closedAt()));
        record.setMergedBy(pr.mergedBy());
        record.setMergeSha(pr.mergeSha());
        record.setHeadRef(pr.headRef());
        record.setAdditions(pr.additions());
        record.setDeletions(pr.deletions());
        record.setFirstCommitAt(time(pr.firstCommitAt()));
        record.setFirstResponseAt(time(pr.firstResponseAt()));
        record.setFirstReviewAt(time(pr.firstReviewAt()));
        record.setDeployedAt(time(pr.deployedAt()));
        if (old == null) {
            record.insert(); // a concurrent insert of the same PR fails the transaction, and ingest retries it
        } else {
            record.changed(AN_PULL_REQUEST.REPOSITORY_ID, false);
            record.changed(AN_PULL_REQUEST.NUMBER, false);
            db.update(AN_PULL_REQUEST).set(record)
                    .where(AN_PULL_REQUEST.REPOSITORY_ID.eq(pr.repositoryId())).and(AN_PULL_REQUEST.NUMBER.eq(pr.number()))
                    .execute();
        }
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
