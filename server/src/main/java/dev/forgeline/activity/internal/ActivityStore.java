package dev.forgeline.activity.internal;

import static dev.forgeline.schema.Tables.DEPLOYMENT;
import static dev.forgeline.schema.Tables.DEPLOYMENT_STATUS;
import static dev.forgeline.schema.Tables.FORGE_COMMENT;
import static dev.forgeline.schema.Tables.FORGE_NAMESPACE;
import static dev.forgeline.schema.Tables.FORGE_USER;
import static dev.forgeline.schema.Tables.FORGE_RELEASE;
import static dev.forgeline.schema.Tables.GIT_COMMIT;
import static dev.forgeline.schema.Tables.ISSUE;
import static dev.forgeline.schema.Tables.PIPELINE;
import static dev.forgeline.schema.Tables.PIPELINE_JOB;
import static dev.forgeline.schema.Tables.PULL_REQUEST;
import static dev.forgeline.schema.Tables.PULL_REQUEST_EVENT;
import static dev.forgeline.schema.Tables.PUSH;
import static dev.forgeline.schema.Tables.REPOSITORY;
import static dev.forgeline.schema.Tables.REVIEW;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.forgeline.activity.Activity;
import dev.forgeline.activity.ActivityRecorded;
import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.ForgeEvent.Comment;
import dev.forgeline.activity.ForgeEvent.Deployment;
import dev.forgeline.activity.ForgeEvent.Issue;
import dev.forgeline.activity.ForgeEvent.Pipeline;
import dev.forgeline.activity.ForgeEvent.PipelineJob;
import dev.forgeline.activity.ForgeEvent.PullRequest;
import dev.forgeline.activity.ForgeEvent.PullRequestSnapshot;
import dev.forgeline.activity.ForgeEvent.Push;
import dev.forgeline.activity.ForgeEvent.Release;
import dev.forgeline.activity.ForgeEvent.Repo;
import dev.forgeline.activity.ForgeEvent.Review;
import dev.forgeline.activity.Participants;
import dev.forgeline.platform.TransactionScoped;
import dev.forgeline.schema.tables.records.IssueRecord;
import dev.forgeline.schema.tables.records.PullRequestRecord;

/**
 * Writes forge events into the model so that any order and any repetition converge to the same rows: keys
 * are the forge's own ids, a snapshot only replaces an older one (by the forge's updated_at), first-seen
 * times take the earliest, and state changes are rows keyed by their kind and time.
 */
@Repository
class ActivityStore implements Activity {

    private final DSLContext db;
    private final ApplicationEventPublisher events;
    private final RepositoryDirectory repositories;
    /** Repository ids never change once committed: looked up once per process. */
    private final Map<String, Long> repositoryIds = new ConcurrentHashMap<>();
    /**
     * Forge users and repository owners this process has committed, as last recorded: the same people appear in
     * most deliveries, and skipping the unchanged ones keeps their cost off the processing path.
     */
    private final Map<Object, Object> participantsSeen = new ConcurrentHashMap<>();
    private static final int PARTICIPANTS_SEEN_MAX = 100_000;
    private final Object writtenKey = new Object();
    private final Object pullRequestsKey = new Object();

    ActivityStore(DSLContext db, ApplicationEventPublisher events, RepositoryDirectory repositories) {
        this.db = db;
        this.repositories = repositories;
        this.events = events;
    }

    @Override
    public long record(long connectionId, ForgeEvent event) {
        long repositoryId = repository(connectionId, event.repo());
        switch (event) {
            case Push push -> push(repositoryId, push);
            case PullRequest pr -> pullRequestEvents(pullRequest(repositoryId, pr.pullRequest()), pr);
            case Review review -> review(repositoryId, review);
            case Comment comment -> db.insertInto(FORGE_COMMENT)
                    .set(FORGE_COMMENT.REPOSITORY_ID, repositoryId)
                    .set(FORGE_COMMENT.FORGE_ID, comment.forgeId())
                    .set(FORGE_COMMENT.TARGET_KIND, comment.targetKind())
                    .set(FORGE_COMMENT.TARGET, comment.target())
                    .set(FORGE_COMMENT.AUTHOR, comment.author())
                    .set(FORGE_COMMENT.CREATED_AT, time(comment.createdAt()))
                    .onDuplicateKeyIgnore().execute();
            case Issue issue -> issue(repositoryId, issue);
            case Pipeline pipeline -> pipeline(repositoryId, pipeline);
            case PipelineJob job -> pipelineJob(repositoryId, job);
            case Deployment deployment -> deployment(repositoryId, deployment);
            case Release release -> release(repositoryId, release);
        }
        events.publishEvent(new ActivityRecorded(connectionId, repositoryId, event));
        return repositoryId;
    }

    @Override
    public void record(long repositoryId, String provider, Participants participants) {
        // A batch of deliveries in one transaction names the same owner and people again and again: written once each.
        Map<Object, Object> writtenNow = TransactionScoped.get(writtenKey, HashMap::new, done -> { });
        Participants.Namespace owner = participants.owner();
        Participants.Namespace knownOwner = (Participants.Namespace) participantsSeen.get(repositoryId);
        Participants.Namespace writtenOwner = writtenNow == null ? null : (Participants.Namespace) writtenNow.get(repositoryId);
        if (owner != null && !covers(knownOwner, owner) && !covers(writtenOwner, owner)) {
            var namespace = FORGE_NAMESPACE.PROVIDER.eq(provider).and(FORGE_NAMESPACE.PATH.eq(owner.path()));
            String name = clip(owner.name(), 300);
            db.insertInto(FORGE_NAMESPACE)
                    .set(FORGE_NAMESPACE.PROVIDER, provider)
                    .set(FORGE_NAMESPACE.PATH, owner.path())
                    .set(FORGE_NAMESPACE.FORGE_ID, owner.forgeId())
                    .set(FORGE_NAMESPACE.KIND, owner.kind())
                    .set(FORGE_NAMESPACE.NAME, name)
                    .set(FORGE_NAMESPACE.FIRST_SEEN_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .onDuplicateKeyIgnore().execute();
            // What one payload leaves out (GitLab rarely says whether a namespace is a group), another fills in.
            // Only rows with a gap are touched, so concurrent deliveries do not queue on one hot row.
            db.update(FORGE_NAMESPACE)
                    .set(FORGE_NAMESPACE.FORGE_ID, DSL.coalesce(FORGE_NAMESPACE.FORGE_ID, DSL.val(owner.forgeId())))
                    .set(FORGE_NAMESPACE.KIND, DSL.coalesce(FORGE_NAMESPACE.KIND, DSL.val(owner.kind())))
                    .set(FORGE_NAMESPACE.NAME, DSL.coalesce(FORGE_NAMESPACE.NAME, DSL.val(name)))
                    .where(namespace).and(gap(FORGE_NAMESPACE.FORGE_ID, owner.forgeId()).or(gap(FORGE_NAMESPACE.KIND, owner.kind()))
                            .or(gap(FORGE_NAMESPACE.NAME, name)))
                    .execute();
            db.update(REPOSITORY)
                    .set(REPOSITORY.NAMESPACE_ID, DSL.select(FORGE_NAMESPACE.ID).from(FORGE_NAMESPACE).where(namespace))
                    .where(REPOSITORY.ID.eq(repositoryId)).and(REPOSITORY.NAMESPACE_ID.isNull())
                    .execute();
            // What this transaction wrote already includes what was known before it.
            Participants.Namespace base = writtenOwner != null ? writtenOwner : knownOwner;
            Participants.Namespace merged = base == null || !base.path().equals(owner.path()) ? owner
                    : new Participants.Namespace(owner.path(), first(base.forgeId(), owner.forgeId()),
                            first(base.kind(), owner.kind()), first(base.name(), owner.name()));
            if (writtenNow != null) {
                writtenNow.put(repositoryId, merged);
            }
            rememberAfterCommit(repositoryId, merged);
        }
        // In login order, so that two deliveries naming the same people never wait on each other's rows in turn.
        List<Participants.User> users = participants.users().stream().sorted(Comparator.comparing(Participants.User::login)).toList();
        for (Participants.User user : users) {
            String key = provider + ":" + user.login();
            Participants.User known = (Participants.User) participantsSeen.get(key);
            Participants.User written = writtenNow == null ? null : (Participants.User) writtenNow.get(key);
            if ((known != null && covers(known, user)) || (written != null && covers(written, user))) {
                continue;
            }
            String login = clip(user.login(), 200);
            String name = clip(user.name(), 200);
            String email = clip(user.email(), 320);
            db.insertInto(FORGE_USER)
                    .set(FORGE_USER.PROVIDER, provider)
                    .set(FORGE_USER.LOGIN, login)
                    .set(FORGE_USER.FORGE_ID, user.forgeId())
                    .set(FORGE_USER.NAME, name)
                    .set(FORGE_USER.EMAIL, email)
                    .set(FORGE_USER.FIRST_SEEN_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .onDuplicateKeyIgnore().execute();
            db.update(FORGE_USER)
                    .set(FORGE_USER.FORGE_ID, DSL.coalesce(FORGE_USER.FORGE_ID, DSL.val(user.forgeId())))
                    .set(FORGE_USER.NAME, DSL.coalesce(FORGE_USER.NAME, DSL.val(name)))
                    .set(FORGE_USER.EMAIL, DSL.coalesce(FORGE_USER.EMAIL, DSL.val(email)))
                    .where(FORGE_USER.PROVIDER.eq(provider)).and(FORGE_USER.LOGIN.eq(login))
                    .and(gap(FORGE_USER.FORGE_ID, user.forgeId()).or(gap(FORGE_USER.NAME, name)).or(gap(FORGE_USER.EMAIL, email)))
                    .execute();
            Participants.User base = written != null ? written : known;
            Participants.User merged = base == null ? user : new Participants.User(user.login(), first(base.forgeId(), user.forgeId()),
                    first(base.name(), user.name()), first(base.email(), user.email()));
            if (writtenNow != null) {
                writtenNow.put(key, merged);
            }
            rememberAfterCommit(key, merged);
        }
    }

    /**
     * Whether writing the user again could change nothing: the stored row only fills gaps, so a payload that
     * brings no field the known row lacks is skipped. Payloads describe people unevenly (a push names the
     * pusher by name and email, a review by login and id), so a plain equality check would miss almost always.
     */
    private static boolean covers(Participants.User known, Participants.User user) {
        return (user.forgeId() == null || known.forgeId() != null) && (user.name() == null || known.name() != null)
                && (user.email() == null || known.email() != null);
    }

    /** The same for a repository's owner: a known owner at the same path that lacks nothing this payload brings. */
    private static boolean covers(Participants.Namespace known, Participants.Namespace owner) {
        return known != null && known.path().equals(owner.path()) && (owner.forgeId() == null || known.forgeId() != null)
                && (owner.kind() == null || known.kind() != null) && (owner.name() == null || known.name() != null);
    }

    private static String first(String known, String fresh) {
        return known != null ? known : fresh;
    }

    /** The stored column is empty and the payload has a value for it. */
    private static Condition gap(Field<String> column, String value) {
        return value == null ? DSL.falseCondition() : column.isNull();
    }

    /** Only committed rows may be skipped later: a rolled-back transaction leaves nothing remembered. */
    private void rememberAfterCommit(Object key, Object value) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionScoped.afterCommit(() -> {
            if (participantsSeen.size() >= PARTICIPANTS_SEEN_MAX) {
                participantsSeen.clear();
            }
            participantsSeen.put(key, value);
        });
    }

    private long repository(long connectionId, Repo repo) {
        String key = repo.provider() + ":" + repo.forgeId();
        Long cached = repositoryIds.get(key);
        if (cached != null) {
            return cached;
        }
        Long id = repositories.idOf(repo);
        if (id != null) {
            // Only once committed: the row may be this transaction's own insert, from an earlier event of a batch.
            TransactionScoped.afterCommit(() -> repositoryIds.put(key, id));
            return id;
        }
        repositories.insertIfAbsent(connectionId, repo);
        // Not cached yet: this transaction may still roll back.
        return Objects.requireNonNull(repositories.idOf(repo), "the repository row just inserted");
    }

    private void push(long repositoryId, Push push) {
        if (!push.commits().isEmpty()) {
            // One statement for all the commits of a push: round trips are most of the cost of processing.
            var insert = db.insertInto(GIT_COMMIT, GIT_COMMIT.REPOSITORY_ID, GIT_COMMIT.SHA, GIT_COMMIT.AUTHOR_NAME,
                    GIT_COMMIT.AUTHOR_EMAIL, GIT_COMMIT.AUTHOR_LOGIN, GIT_COMMIT.AUTHORED_AT, GIT_COMMIT.MESSAGE,
                    GIT_COMMIT.ADDITIONS, GIT_COMMIT.DELETIONS);
            for (ForgeEvent.Commit commit : push.commits()) {
                insert = insert.values(repositoryId, commit.sha(), commit.authorName(), commit.authorEmail(), commit.authorLogin(),
                        time(commit.authoredAt()), clip(commit.message(), 4000), commit.additions(), commit.deletions());
            }
            insert.onDuplicateKeyIgnore().execute();
        }
        db.insertInto(PUSH)
                .set(PUSH.REPOSITORY_ID, repositoryId)
                .set(PUSH.REF, push.ref())
                .set(PUSH.BEFORE_SHA, push.before())
                .set(PUSH.AFTER_SHA, push.after())
                .set(PUSH.PUSHER, push.pusher())
                .set(PUSH.PUSHED_AT, time(push.pushedAt()))
                .set(PUSH.COMMIT_COUNT, push.commits().size())
                .onDuplicateKeyIgnore().execute();
    }

    /**
     * Upserts the snapshot unless the stored one is newer; returns the pull request's id. A batch of deliveries
     * in one transaction names the same few pull requests again and again: each is read once, and what changed is
     * written once, just before the commit.
     */
    long pullRequest(long repositoryId, PullRequestSnapshot pr) {
        Map<PullRequestKey, PullRequestRecord> read = TransactionScoped.get(pullRequestsKey, HashMap::new, this::updateChanged);
        PullRequestKey key = new PullRequestKey(repositoryId, pr.number());
        PullRequestRecord stored = read == null ? null : read.get(key);
        if (stored == null) {
            stored = db.selectFrom(PULL_REQUEST)
                    .where(PULL_REQUEST.REPOSITORY_ID.eq(repositoryId)).and(PULL_REQUEST.NUMBER.eq(pr.number()))
                    .forUpdate().fetchOne();
        }
        if (stored == null) {
            stored = db.newRecord(PULL_REQUEST);
            stored.setRepositoryId(repositoryId).setNumber(pr.number()).setCreatedAt(time(pr.createdAt()));
            apply(stored, pr);
            stored.store(); // at once: the events and reviews of the pull request need its id
        } else {
            if (pr.createdAt() != null && time(pr.createdAt()).isBefore(stored.getCreatedAt())) {
                stored.setCreatedAt(time(pr.createdAt()));
            }
            if (!time(pr.updatedAt()).isBefore(stored.getUpdatedAt())) {
                apply(stored, pr);
            }
            if (read == null) {
                stored.update();
            }
        }
        if (read != null) {
            read.put(key, stored);
        }
        return stored.getId();
    }

    private record PullRequestKey(long repositoryId, long number) {
    }

    private void updateChanged(Map<PullRequestKey, PullRequestRecord> read) {
        List<PullRequestRecord> changed = read.values().stream().filter(PullRequestRecord::changed)
                .sorted(Comparator.comparing(PullRequestRecord::getId)).toList();
        if (!changed.isEmpty()) {
            db.batchUpdate(changed).execute();
        }
    }

    private static void apply(PullRequestRecord stored, PullRequestSnapshot pr) {
        if (pr.author() != null) {
            stored.setAuthor(pr.author()); // GitLab names the author only when the merge request is opened
        }
        stored.setTitle(clip(pr.title(), 1000)).setState(pr.state()).setDraft(pr.draft())
                .setUpdatedAt(time(pr.updatedAt())).setClosedAt(time(pr.closedAt())).setMergedAt(time(pr.mergedAt()))
                .setMergeCommitSha(pr.mergeCommitSha()).setHeadRef(pr.headRef()).setBaseRef(pr.baseRef());
        // Sizes are only in some payloads: keep what we know.
        if (pr.additions() != null) {
            stored.setAdditions(pr.additions()).setDeletions(pr.deletions()).setChangedFiles(pr.changedFiles());
        }
    }

    /** The state changes a snapshot proves, plus the one the event names, written in one statement. */
    private void pullRequestEvents(long pullRequestId, PullRequest event) {
        PullRequestSnapshot pr = event.pullRequest();
        var insert = db.insertInto(PULL_REQUEST_EVENT, PULL_REQUEST_EVENT.PULL_REQUEST_ID, PULL_REQUEST_EVENT.KIND,
                PULL_REQUEST_EVENT.ACTOR, PULL_REQUEST_EVENT.AT);
        insert = insert.values(pullRequestId, "opened", pr.author(), time(pr.createdAt()));
        if (pr.closedAt() != null) {
            insert = insert.values(pullRequestId, "closed", null, time(pr.closedAt()));
        }
        if (pr.mergedAt() != null) {
            insert = insert.values(pullRequestId, "merged", null, time(pr.mergedAt()));
        }
        switch (event.transition()) {
            case "reopened", "ready_for_review", "review_requested", "converted_to_draft" -> {
                if (event.at() != null) {
                    insert = insert.values(pullRequestId, event.transition(), event.actor(), time(event.at()));
                }
            }
            default -> {
                // opened, closed, merged: proven by the snapshot above; others (edited, labeled…) are not state changes.
            }
        }
        insert.onDuplicateKeyIgnore().execute();
    }

    private void review(long repositoryId, Review review) {
        long pullRequestId = review.pullRequest() != null
                ? pullRequest(repositoryId, review.pullRequest())
                : db.select(PULL_REQUEST.ID).from(PULL_REQUEST)
                        .where(PULL_REQUEST.REPOSITORY_ID.eq(repositoryId)).and(PULL_REQUEST.NUMBER.eq(review.pullRequestNumber()))
                        .fetchOptional(PULL_REQUEST.ID)
                        .orElseThrow(() -> new IllegalStateException("review of merge request !" + review.pullRequestNumber()
                                + " arrived before the merge request: retried later"));
        db.insertInto(REVIEW)
                .set(REVIEW.PULL_REQUEST_ID, pullRequestId)
                .set(REVIEW.FORGE_ID, review.forgeId())
                .set(REVIEW.REVIEWER, review.reviewer())
                .set(REVIEW.STATE, review.state())
                .set(REVIEW.SUBMITTED_AT, time(review.submittedAt()))
                .onDuplicateKeyIgnore().execute();
    }

    private void issue(long repositoryId, Issue issue) {
        IssueRecord stored = db.selectFrom(ISSUE)
                .where(ISSUE.REPOSITORY_ID.eq(repositoryId)).and(ISSUE.NUMBER.eq(issue.number()))
                .forUpdate().fetchOne();
        if (stored == null) {
            stored = db.newRecord(ISSUE);
            stored.setRepositoryId(repositoryId).setNumber(issue.number()).setCreatedAt(time(issue.createdAt()));
        } else if (time(issue.updatedAt()).isBefore(stored.getUpdatedAt())) {
            return;
        }
        if (issue.author() != null) {
            stored.setAuthor(issue.author());
        }
        stored.setTitle(clip(issue.title(), 1000)).setState(issue.state())
                .setLabels(clip(String.join(",", issue.labels()), 2000))
                .setUpdatedAt(time(issue.updatedAt())).setClosedAt(time(issue.closedAt()));
        stored.store();
    }

    private void pipeline(long repositoryId, Pipeline pipeline) {
        // Most pipelines are told of once, when they finish: then the insert is all there is to do.
        boolean inserted = db.insertInto(PIPELINE)
                .set(PIPELINE.REPOSITORY_ID, repositoryId).set(PIPELINE.FORGE_ID, pipeline.forgeId())
                .set(PIPELINE.NAME, pipeline.name()).set(PIPELINE.REF, pipeline.ref()).set(PIPELINE.SHA, pipeline.sha())
                .set(PIPELINE.STATUS, pipeline.status()).set(PIPELINE.CREATED_AT, time(pipeline.createdAt()))
                .set(PIPELINE.STARTED_AT, time(pipeline.startedAt())).set(PIPELINE.FINISHED_AT, time(pipeline.finishedAt()))
                .onDuplicateKeyIgnore().execute() == 1;
        if (inserted) {
            return;
        }
        var stored = db.selectFrom(PIPELINE)
                .where(PIPELINE.REPOSITORY_ID.eq(repositoryId)).and(PIPELINE.FORGE_ID.eq(pipeline.forgeId()))
                .forUpdate().fetchOne();
        if (stored == null) {
            stored = db.newRecord(PIPELINE);
            stored.setRepositoryId(repositoryId).setForgeId(pipeline.forgeId());
        } else if (stored.getFinishedAt() != null && pipeline.finishedAt() == null) {
            return; // a late "running" never undoes "finished"
        }
        stored.setName(pipeline.name()).setRef(pipeline.ref()).setSha(pipeline.sha()).setStatus(pipeline.status())
                .setCreatedAt(time(pipeline.createdAt())).setStartedAt(time(pipeline.startedAt()))
                .setFinishedAt(time(pipeline.finishedAt()));
        stored.store();
    }

    private void pipelineJob(long repositoryId, PipelineJob job) {
        var stored = db.selectFrom(PIPELINE_JOB)
                .where(PIPELINE_JOB.REPOSITORY_ID.eq(repositoryId)).and(PIPELINE_JOB.FORGE_ID.eq(job.forgeId()))
                .forUpdate().fetchOne();
        if (stored == null) {
            stored = db.newRecord(PIPELINE_JOB);
            stored.setRepositoryId(repositoryId).setForgeId(job.forgeId());
        } else if (stored.getFinishedAt() != null && job.finishedAt() == null) {
            return;
        }
        stored.setPipelineForgeId(job.pipelineForgeId()).setName(job.name()).setStatus(job.status())
                .setStartedAt(time(job.startedAt())).setFinishedAt(time(job.finishedAt()));
        stored.store();
    }

    private void deployment(long repositoryId, Deployment deployment) {
        db.insertInto(DEPLOYMENT)
                .set(DEPLOYMENT.REPOSITORY_ID, repositoryId)
                .set(DEPLOYMENT.FORGE_ID, deployment.forgeId())
                .set(DEPLOYMENT.ENVIRONMENT, deployment.environment())
                .set(DEPLOYMENT.SHA, deployment.sha())
                .set(DEPLOYMENT.REF, deployment.ref())
                .set(DEPLOYMENT.CREATOR, deployment.creator())
                .set(DEPLOYMENT.CREATED_AT, time(deployment.createdAt()))
                .onDuplicateKeyIgnore().execute();
        if (deployment.state() != null && deployment.stateAt() != null) {
            long deploymentId = db.select(DEPLOYMENT.ID).from(DEPLOYMENT)
                    .where(DEPLOYMENT.REPOSITORY_ID.eq(repositoryId)).and(DEPLOYMENT.FORGE_ID.eq(deployment.forgeId()))
                    .fetchSingle(DEPLOYMENT.ID);
            db.insertInto(DEPLOYMENT_STATUS)
                    .set(DEPLOYMENT_STATUS.DEPLOYMENT_ID, deploymentId)
                    .set(DEPLOYMENT_STATUS.STATE, deployment.state())
                    .set(DEPLOYMENT_STATUS.AT, time(deployment.stateAt()))
                    .onDuplicateKeyIgnore().execute();
        }
    }

    private void release(long repositoryId, Release release) {
        db.insertInto(FORGE_RELEASE)
                .set(FORGE_RELEASE.REPOSITORY_ID, repositoryId)
                .set(FORGE_RELEASE.TAG, release.tag())
                .set(FORGE_RELEASE.NAME, release.name())
                .set(FORGE_RELEASE.CREATED_AT, time(release.createdAt()))
                .set(FORGE_RELEASE.PUBLISHED_AT, time(release.publishedAt()))
                .onDuplicateKeyIgnore().execute();
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
