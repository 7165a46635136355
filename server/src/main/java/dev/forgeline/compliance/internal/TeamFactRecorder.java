package dev.forgeline.compliance.internal;

import static dev.forgeline.schema.Tables.COMPLIANCE_COMMIT;
import static dev.forgeline.schema.Tables.COMPLIANCE_ISSUE;
import static dev.forgeline.schema.Tables.COMPLIANCE_MERGE_REQUEST;
import static dev.forgeline.schema.Tables.COMPLIANCE_PIPELINE;
import static dev.forgeline.schema.Tables.COMPLIANCE_REPOSITORY;
import static dev.forgeline.schema.Tables.COMPLIANCE_REVIEW;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.forgeline.activity.ActivityRecorded;
import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.ForgeEvent.Comment;
import dev.forgeline.activity.ForgeEvent.Issue;
import dev.forgeline.activity.ForgeEvent.Pipeline;
import dev.forgeline.activity.ForgeEvent.PullRequest;
import dev.forgeline.activity.ForgeEvent.PullRequestSnapshot;
import dev.forgeline.activity.ForgeEvent.Push;
import dev.forgeline.activity.ForgeEvent.Review;
import dev.forgeline.platform.TransactionScoped;

/**
 * Keeps compliance's facts from the activity events, inside the ingest transaction: one or two single-row statements
 * per event, each idempotent and order-independent (an older snapshot never overwrites a newer one). A row the
 * insert created is the event's own snapshot, so the merge into an existing row is skipped then.
 */
@Component
class TeamFactRecorder {

    private static final Set<String> FINISHED = Set.of("success", "failed", "failure", "canceled", "cancelled", "skipped",
            "timed_out", "action_required", "neutral", "stale", "manual");

    private final DSLContext db;
    private final Object markedKey = new Object();

    TeamFactRecorder(DSLContext db) {
        this.db = db;
    }

    @EventListener
    void on(ActivityRecorded recorded) {
        long repositoryId = recorded.repositoryId();
        boolean relevant = switch (recorded.event()) {
            case Push push -> push(repositoryId, push);
            case PullRequest pr -> mergeRequest(repositoryId, pr.pullRequest(), pr.transition(), pr.actor());
            case Review review -> review(repositoryId, review);
            case Comment comment -> comment(repositoryId, comment);
            case Issue issue -> issue(repositoryId, issue);
            case Pipeline pipeline -> pipeline(repositoryId, pipeline);
            case ForgeEvent.PipelineJob ignored -> false;
            case ForgeEvent.Deployment ignored -> false;
            case ForgeEvent.Release ignored -> false;
        };
        if (!relevant) {
            return;
        }
        // Once per repository and transaction, just before the commit: a batch of deliveries can take a while, and a
        // mark dated from its start could look older than a scoring that ran meanwhile without seeing the batch.
        Map<Long, ForgeEvent.Repo> marks = TransactionScoped.get(markedKey, HashMap::new,
                pending -> pending.forEach(this::changed));
        if (marks != null) {
            marks.putIfAbsent(repositoryId, recorded.event().repo());
        } else {
            changed(repositoryId, recorded.event().repo());
        }
    }

    /** Marks the repository for scoring, creating its row the first time. */
    private void changed(long repositoryId, ForgeEvent.Repo repo) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int updated = db.update(COMPLIANCE_REPOSITORY)
                .set(COMPLIANCE_REPOSITORY.CHANGED_AT, now)
                .set(COMPLIANCE_REPOSITORY.DEFAULT_BRANCH, DSL.coalesce(DSL.val(clip(repo.defaultBranch(), 200)), COMPLIANCE_REPOSITORY.DEFAULT_BRANCH))
                .set(COMPLIANCE_REPOSITORY.WEB_URL, DSL.coalesce(DSL.val(clip(repo.webUrl(), 500)), COMPLIANCE_REPOSITORY.WEB_URL))
                .where(COMPLIANCE_REPOSITORY.REPOSITORY_ID.eq(repositoryId)).execute();
        if (updated == 0) {
            db.insertInto(COMPLIANCE_REPOSITORY)
                    .set(COMPLIANCE_REPOSITORY.REPOSITORY_ID, repositoryId)
                    .set(COMPLIANCE_REPOSITORY.PROVIDER, repo.provider())
                    .set(COMPLIANCE_REPOSITORY.FULL_NAME, clip(repo.fullName(), 300))
                    .set(COMPLIANCE_REPOSITORY.DEFAULT_BRANCH, clip(repo.defaultBranch(), 200))
                    .set(COMPLIANCE_REPOSITORY.WEB_URL, clip(repo.webUrl(), 500))
                    .set(COMPLIANCE_REPOSITORY.CHANGED_AT, now)
                    .onDuplicateKeyIgnore().execute();
        }
    }

    private boolean push(long repositoryId, Push push) {
        if (push.commits().isEmpty() || push.ref() == null || !push.ref().startsWith("refs/heads/")) {
            return false; // tags and branch deletions carry no work
        }
        String branch = push.ref().substring("refs/heads/".length());
        var insert = db.insertInto(COMPLIANCE_COMMIT, COMPLIANCE_COMMIT.REPOSITORY_ID, COMPLIANCE_COMMIT.SHA,
                COMPLIANCE_COMMIT.AUTHOR_NAME, COMPLIANCE_COMMIT.AUTHOR_EMAIL, COMPLIANCE_COMMIT.AUTHOR_LOGIN,
                COMPLIANCE_COMMIT.AUTHORED_AT, COMPLIANCE_COMMIT.MESSAGE, COMPLIANCE_COMMIT.FIRST_REF,
                COMPLIANCE_COMMIT.ADDITIONS, COMPLIANCE_COMMIT.DELETIONS, COMPLIANCE_COMMIT.FILES_CHANGED,
                COMPLIANCE_COMMIT.TOUCHES_DOCS);
        int rows = 0;
        Set<String> seen = new HashSet<>();
        for (ForgeEvent.Commit c : push.commits()) {
            Instant at = c.authoredAt() != null ? c.authoredAt() : push.pushedAt();
            if (c.sha() == null || at == null || !seen.add(c.sha())) {
                continue;
            }
            // The first push that carries a commit says where it was made; a later merge push to main must not move it.
            insert = insert.values(repositoryId, c.sha(), clip(c.authorName(), 200), clip(c.authorEmail(), 320),
                    clip(c.authorLogin(), 200), utc(at), clip(c.message(), 2000), clip(branch, 300), c.additions(), c.deletions(),
                    c.files().size(), c.files().stream().anyMatch(TeamFactRecorder::isDocumentation));
            rows++;
        }
        if (rows > 0) {
            insert.onDuplicateKeyIgnore().execute();
        }
        return rows > 0;
    }

    private boolean mergeRequest(long repositoryId, PullRequestSnapshot pr, String transition, String actor) {
        if (pr == null || pr.createdAt() == null) {
            return false;
        }
        String state = pr.state() != null ? pr.state() : pr.mergedAt() != null ? "merged" : pr.closedAt() != null ? "closed" : "open";
        String mergedBy = "merged".equals(transition) || ("closed".equals(transition) && "merged".equals(state)) ? actor : null;
        boolean inserted = db.insertInto(COMPLIANCE_MERGE_REQUEST)
                .set(COMPLIANCE_MERGE_REQUEST.REPOSITORY_ID, repositoryId)
                .set(COMPLIANCE_MERGE_REQUEST.NUMBER, pr.number())
                .set(COMPLIANCE_MERGE_REQUEST.TITLE, clip(pr.title(), 500))
                .set(COMPLIANCE_MERGE_REQUEST.AUTHOR, clip(pr.author(), 200))
                .set(COMPLIANCE_MERGE_REQUEST.STATE, state)
                .set(COMPLIANCE_MERGE_REQUEST.CREATED_AT, utc(pr.createdAt()))
                .set(COMPLIANCE_MERGE_REQUEST.UPDATED_AT, utc(pr.updatedAt() != null ? pr.updatedAt() : pr.createdAt()))
                .set(COMPLIANCE_MERGE_REQUEST.MERGED_AT, utc(pr.mergedAt()))
                .set(COMPLIANCE_MERGE_REQUEST.MERGED_BY, clip(mergedBy, 200))
                .set(COMPLIANCE_MERGE_REQUEST.HEAD_REF, clip(pr.headRef(), 300))
                .set(COMPLIANCE_MERGE_REQUEST.BASE_REF, clip(pr.baseRef(), 300))
                .set(COMPLIANCE_MERGE_REQUEST.ADDITIONS, pr.additions())
                .set(COMPLIANCE_MERGE_REQUEST.DELETIONS, pr.deletions())
                .onDuplicateKeyIgnore().execute() == 1;
        if (inserted) {
            return true; // the row is this snapshot: nothing to merge into it
        }
        var mr = COMPLIANCE_MERGE_REQUEST;
        // One statement for both rules. What only some events say (GitLab names the author on "open" only, the
        // merger on "merge") is kept from any; state, title and merge time come from the newest snapshot. Every
        // expression reads the row as it was, so "newer" is decided against the stored updated_at throughout.
        var update = db.update(mr)
                .set(mr.AUTHOR, DSL.coalesce(mr.AUTHOR, DSL.val(clip(pr.author(), 200))))
                .set(mr.MERGED_BY, DSL.coalesce(mr.MERGED_BY, DSL.val(clip(mergedBy, 200))))
                .set(mr.ADDITIONS, DSL.coalesce(DSL.val(pr.additions()), mr.ADDITIONS))
                .set(mr.DELETIONS, DSL.coalesce(DSL.val(pr.deletions()), mr.DELETIONS));
        if (pr.updatedAt() != null) {
            var newer = mr.UPDATED_AT.lt(utc(pr.updatedAt()));
            update = update
                    .set(mr.STATE, DSL.when(newer, DSL.val(state)).otherwise(mr.STATE))
                    .set(mr.TITLE, DSL.when(newer, DSL.val(clip(pr.title(), 500))).otherwise(mr.TITLE))
                    .set(mr.MERGED_AT, DSL.when(newer, DSL.coalesce(DSL.val(utc(pr.mergedAt())), mr.MERGED_AT)).otherwise(mr.MERGED_AT))
                    .set(mr.UPDATED_AT, DSL.when(newer, DSL.val(utc(pr.updatedAt()))).otherwise(mr.UPDATED_AT));
        }
        update.where(mr.REPOSITORY_ID.eq(repositoryId)).and(mr.NUMBER.eq(pr.number())).execute();
        return true;
    }

    private boolean review(long repositoryId, Review review) {
        if (review.pullRequest() != null) {
            mergeRequest(repositoryId, review.pullRequest(), null, null);
        }
        Instant at = review.submittedAt() != null ? review.submittedAt()
                : review.pullRequest() != null ? review.pullRequest().updatedAt() : null;
        if (review.forgeId() == null || at == null) {
            return review.pullRequest() != null;
        }
        db.insertInto(COMPLIANCE_REVIEW)
                .set(COMPLIANCE_REVIEW.REPOSITORY_ID, repositoryId)
                .set(COMPLIANCE_REVIEW.FORGE_ID, clip("review:" + review.forgeId(), 200))
                .set(COMPLIANCE_REVIEW.NUMBER, review.pullRequestNumber())
                .set(COMPLIANCE_REVIEW.REVIEWER, clip(review.reviewer(), 200))
                .set(COMPLIANCE_REVIEW.KIND, review.state() == null ? "review" : clip(review.state(), 40))
                .set(COMPLIANCE_REVIEW.AT, utc(at))
                .onDuplicateKeyIgnore().execute();
        return true;
    }

    private boolean comment(long repositoryId, Comment comment) {
        if (!"pull_request".equals(comment.targetKind()) || comment.forgeId() == null || comment.createdAt() == null) {
            return false;
        }
        long number;
        try {
            number = Long.parseLong(comment.target());
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
        db.insertInto(COMPLIANCE_REVIEW)
                .set(COMPLIANCE_REVIEW.REPOSITORY_ID, repositoryId)
                .set(COMPLIANCE_REVIEW.FORGE_ID, clip("comment:" + comment.forgeId(), 200))
                .set(COMPLIANCE_REVIEW.NUMBER, number)
                .set(COMPLIANCE_REVIEW.REVIEWER, clip(comment.author(), 200))
                .set(COMPLIANCE_REVIEW.KIND, "comment")
                .set(COMPLIANCE_REVIEW.AT, utc(comment.createdAt()))
                .onDuplicateKeyIgnore().execute();
        return true;
    }

    private boolean issue(long repositoryId, Issue issue) {
        if (issue.createdAt() == null) {
            return false;
        }
        Instant updated = issue.updatedAt() != null ? issue.updatedAt() : issue.createdAt();
        boolean inserted = db.insertInto(COMPLIANCE_ISSUE)
                .set(COMPLIANCE_ISSUE.REPOSITORY_ID, repositoryId)
                .set(COMPLIANCE_ISSUE.NUMBER, issue.number())
                .set(COMPLIANCE_ISSUE.TITLE, clip(issue.title(), 500))
                .set(COMPLIANCE_ISSUE.AUTHOR, clip(issue.author(), 200))
                .set(COMPLIANCE_ISSUE.CREATED_AT, utc(issue.createdAt()))
                .set(COMPLIANCE_ISSUE.UPDATED_AT, utc(updated))
                .set(COMPLIANCE_ISSUE.CLOSED_AT, utc(issue.closedAt()))
                .onDuplicateKeyIgnore().execute() == 1;
        if (inserted) {
            return true;
        }
        var row = COMPLIANCE_ISSUE.REPOSITORY_ID.eq(repositoryId).and(COMPLIANCE_ISSUE.NUMBER.eq(issue.number()));
        db.update(COMPLIANCE_ISSUE)
                .set(COMPLIANCE_ISSUE.AUTHOR, DSL.coalesce(COMPLIANCE_ISSUE.AUTHOR, DSL.val(clip(issue.author(), 200))))
                .where(row).and(COMPLIANCE_ISSUE.AUTHOR.isNull()).execute();
        db.update(COMPLIANCE_ISSUE)
                .set(COMPLIANCE_ISSUE.TITLE, clip(issue.title(), 500))
                .set(COMPLIANCE_ISSUE.UPDATED_AT, utc(updated))
                .set(COMPLIANCE_ISSUE.CLOSED_AT, utc(issue.closedAt()))
                .where(row).and(COMPLIANCE_ISSUE.UPDATED_AT.lt(utc(updated))).execute();
        return true;
    }

    private boolean pipeline(long repositoryId, Pipeline pipeline) {
        Instant created = pipeline.createdAt() != null ? pipeline.createdAt() : pipeline.startedAt();
        if (pipeline.forgeId() == null || created == null || pipeline.status() == null) {
            return false;
        }
        boolean inserted = db.insertInto(COMPLIANCE_PIPELINE)
                .set(COMPLIANCE_PIPELINE.REPOSITORY_ID, repositoryId)
                .set(COMPLIANCE_PIPELINE.FORGE_ID, clip(pipeline.forgeId(), 100))
                .set(COMPLIANCE_PIPELINE.REF, clip(pipeline.ref(), 300))
                .set(COMPLIANCE_PIPELINE.SHA, clip(pipeline.sha(), 64))
                .set(COMPLIANCE_PIPELINE.STATUS, clip(pipeline.status(), 40))
                .set(COMPLIANCE_PIPELINE.CREATED_AT, utc(created))
                .set(COMPLIANCE_PIPELINE.FINISHED_AT, utc(pipeline.finishedAt()))
                .onDuplicateKeyIgnore().execute() == 1;
        if (inserted) {
            return true;
        }
        // A finished status is final: a late "running" delivery must not undo it.
        boolean finished = FINISHED.contains(pipeline.status());
        var update = db.update(COMPLIANCE_PIPELINE)
                .set(COMPLIANCE_PIPELINE.STATUS, clip(pipeline.status(), 40))
                .set(COMPLIANCE_PIPELINE.FINISHED_AT, DSL.coalesce(DSL.val(utc(pipeline.finishedAt())), COMPLIANCE_PIPELINE.FINISHED_AT))
                .where(COMPLIANCE_PIPELINE.REPOSITORY_ID.eq(repositoryId)).and(COMPLIANCE_PIPELINE.FORGE_ID.eq(clip(pipeline.forgeId(), 100)));
        (finished ? update : update.and(COMPLIANCE_PIPELINE.STATUS.notIn(FINISHED))).execute();
        return true;
    }

    private static final Pattern DOCUMENTATION = Pattern.compile(
            "(^|/)(readme|changelog)[^/]*$|(^|/)docs?/|\\.(md|markdown|rst|adoc)$", Pattern.CASE_INSENSITIVE);

    /** README*, CHANGELOG*, anything under doc/ or docs/, and Markdown, reStructuredText and AsciiDoc files. */
    static boolean isDocumentation(String path) {
        return path != null && DOCUMENTATION.matcher(path).find();
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
