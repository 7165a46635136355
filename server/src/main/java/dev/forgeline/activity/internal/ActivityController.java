package dev.forgeline.activity.internal;

import static dev.forgeline.schema.Tables.DEPLOYMENT;
import static dev.forgeline.schema.Tables.DEPLOYMENT_STATUS;
import static dev.forgeline.schema.Tables.GIT_COMMIT;
import static dev.forgeline.schema.Tables.ISSUE;
import static dev.forgeline.schema.Tables.PIPELINE;
import static dev.forgeline.schema.Tables.PULL_REQUEST;
import static dev.forgeline.schema.Tables.PULL_REQUEST_EVENT;
import static dev.forgeline.schema.Tables.REPOSITORY;
import static dev.forgeline.schema.Tables.REVIEW;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.platform.Access;
import dev.forgeline.platform.CallerScope;
import dev.forgeline.platform.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The activity model, read: repositories and what happened in each, newest first. A caller sees the repositories of
 * the connections their organisations own, in a course only those of their own group; any other repository answers 404.
 */
@RestController
@Access(Access.Rule.SIGNED_IN)
@RequestMapping("/api/v1/repositories")
@Tag(name = "Repositories")
class ActivityController {

    private final DSLContext db;
    private final CallerScope scope;

    ActivityController(DSLContext db, CallerScope scope) {
        this.db = db;
        this.scope = scope;
    }

    record RepositoryView(long id, String provider, String forgeId, String fullName, String defaultBranch, String webUrl, OffsetDateTime firstSeenAt) {
    }

    record Transition(String kind, OffsetDateTime at, String actor) {
    }

    record PullRequestView(long number, String title, String author, String state, boolean draft, OffsetDateTime createdAt,
                           OffsetDateTime updatedAt, OffsetDateTime closedAt, OffsetDateTime mergedAt, String headRef,
                           String baseRef, Integer additions, Integer deletions, Integer changedFiles,
                           List<Transition> transitions, List<String> reviewers) {
    }

    record CommitView(String sha, String authorName, String authorEmail, String authorLogin, OffsetDateTime authoredAt,
                      String message, Integer additions, Integer deletions) {
    }

    record PipelineView(String forgeId, String name, String ref, String sha, String status, OffsetDateTime createdAt,
                        OffsetDateTime startedAt, OffsetDateTime finishedAt) {
    }

    record StatusView(String state, OffsetDateTime at) {
    }

    record DeploymentView(String forgeId, String environment, String sha, String ref, String creator, OffsetDateTime createdAt,
                          List<StatusView> statuses) {
    }

    record IssueView(long number, String title, String state, String author, List<String> labels, OffsetDateTime createdAt,
                     OffsetDateTime updatedAt, OffsetDateTime closedAt) {
    }

    @GetMapping
    @Operation(summary = "Repositories seen in webhook deliveries")
    List<RepositoryView> repositories() {
        return db.selectFrom(REPOSITORY).where(readable(scope.readable()))
                .orderBy(REPOSITORY.FULL_NAME)
                .fetch(r -> new RepositoryView(r.getId(), r.getProvider(), r.getForgeId(), r.getFullName(), r.getDefaultBranch(), r.getWebUrl(),
                        r.getFirstSeenAt()));
    }

    @GetMapping("/{id}/pull-requests")
    @Operation(summary = "Pull and merge requests with each state change and their reviewers")
    List<PullRequestView> pullRequests(@PathVariable long id, @RequestParam(defaultValue = "50") int limit,
                                       @RequestParam(defaultValue = "0") int offset) {
        requireRepository(id, limit, offset);
        var prs = db.selectFrom(PULL_REQUEST).where(PULL_REQUEST.REPOSITORY_ID.eq(id))
                .orderBy(PULL_REQUEST.NUMBER.desc()).limit(limit).offset(offset).fetch();
        List<Long> ids = prs.map(r -> r.getId());
        Map<Long, List<Transition>> transitions = db.selectFrom(PULL_REQUEST_EVENT)
                .where(PULL_REQUEST_EVENT.PULL_REQUEST_ID.in(ids)).orderBy(PULL_REQUEST_EVENT.AT, PULL_REQUEST_EVENT.ID)
                .fetchGroups(PULL_REQUEST_EVENT.PULL_REQUEST_ID, e -> new Transition(e.getKind(), e.getAt(), e.getActor()));
        Map<Long, List<String>> reviewers = db.selectDistinct(REVIEW.PULL_REQUEST_ID, REVIEW.REVIEWER).from(REVIEW)
                .where(REVIEW.PULL_REQUEST_ID.in(ids)).and(REVIEW.REVIEWER.isNotNull())
                .orderBy(REVIEW.REVIEWER)
                .fetchGroups(REVIEW.PULL_REQUEST_ID, REVIEW.REVIEWER);
        return prs.map(r -> new PullRequestView(r.getNumber(), r.getTitle(), r.getAuthor(), r.getState(), r.getDraft(),
                r.getCreatedAt(), r.getUpdatedAt(), r.getClosedAt(), r.getMergedAt(), r.getHeadRef(), r.getBaseRef(),
                r.getAdditions(), r.getDeletions(), r.getChangedFiles(),
                transitions.getOrDefault(r.getId(), List.of()), reviewers.getOrDefault(r.getId(), List.of())));
    }

    @GetMapping("/{id}/commits")
    @Operation(summary = "Commits seen in pushes")
    List<CommitView> commits(@PathVariable long id, @RequestParam(defaultValue = "50") int limit,
                             @RequestParam(defaultValue = "0") int offset) {
        requireRepository(id, limit, offset);
        return db.selectFrom(GIT_COMMIT).where(GIT_COMMIT.REPOSITORY_ID.eq(id))
                .orderBy(GIT_COMMIT.AUTHORED_AT.desc().nullsLast(), GIT_COMMIT.ID.desc()).limit(limit).offset(offset)
                .fetch(r -> new CommitView(r.getSha(), r.getAuthorName(), r.getAuthorEmail(), r.getAuthorLogin(), r.getAuthoredAt(),
                        r.getMessage(), r.getAdditions(), r.getDeletions()));
    }

    @GetMapping("/{id}/pipelines")
    @Operation(summary = "CI pipelines and workflow runs")
    List<PipelineView> pipelines(@PathVariable long id, @RequestParam(defaultValue = "50") int limit,
                                 @RequestParam(defaultValue = "0") int offset) {
        requireRepository(id, limit, offset);
        return db.selectFrom(PIPELINE).where(PIPELINE.REPOSITORY_ID.eq(id))
                .orderBy(PIPELINE.CREATED_AT.desc().nullsLast(), PIPELINE.ID.desc()).limit(limit).offset(offset)
                .fetch(r -> new PipelineView(r.getForgeId(), r.getName(), r.getRef(), r.getSha(), r.getStatus(), r.getCreatedAt(),
                        r.getStartedAt(), r.getFinishedAt()));
    }

    @GetMapping("/{id}/deployments")
    @Operation(summary = "Deployments with each status change")
    List<DeploymentView> deployments(@PathVariable long id, @RequestParam(defaultValue = "50") int limit,
                                     @RequestParam(defaultValue = "0") int offset) {
        requireRepository(id, limit, offset);
        var rows = db.selectFrom(DEPLOYMENT).where(DEPLOYMENT.REPOSITORY_ID.eq(id))
                .orderBy(DEPLOYMENT.CREATED_AT.desc().nullsLast(), DEPLOYMENT.ID.desc()).limit(limit).offset(offset).fetch();
        Map<Long, List<StatusView>> statuses = db.selectFrom(DEPLOYMENT_STATUS)
                .where(DEPLOYMENT_STATUS.DEPLOYMENT_ID.in(rows.map(r -> r.getId())))
                .orderBy(DEPLOYMENT_STATUS.AT, DEPLOYMENT_STATUS.ID)
                .fetchGroups(DEPLOYMENT_STATUS.DEPLOYMENT_ID, s -> new StatusView(s.getState(), s.getAt()));
        return rows.map(r -> new DeploymentView(r.getForgeId(), r.getEnvironment(), r.getSha(), r.getRef(), r.getCreator(),
                r.getCreatedAt(), statuses.getOrDefault(r.getId(), List.of())));
    }

    @GetMapping("/{id}/issues")
    @Operation(summary = "Issues with their labels")
    List<IssueView> issues(@PathVariable long id, @RequestParam(defaultValue = "50") int limit,
                           @RequestParam(defaultValue = "0") int offset) {
        requireRepository(id, limit, offset);
        return db.selectFrom(ISSUE).where(ISSUE.REPOSITORY_ID.eq(id))
                .orderBy(ISSUE.NUMBER.desc()).limit(limit).offset(offset)
                .fetch(r -> new IssueView(r.getNumber(), r.getTitle(), r.getState(), r.getAuthor(),
                        r.getLabels() == null || r.getLabels().isEmpty() ? List.of() : Arrays.asList(r.getLabels().split(",")),
                        r.getCreatedAt(), r.getUpdatedAt(), r.getClosedAt()));
    }

    private void requireRepository(long id, int limit, int offset) {
        Paging.check(limit, offset);
        if (!db.fetchExists(REPOSITORY, REPOSITORY.ID.eq(id).and(readable(scope.readable())))) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no repository " + id);
        }
    }

    private static Condition readable(CallerScope.Readable readable) {
        return readable.all() ? DSL.noCondition()
                : REPOSITORY.CONNECTION_ID.in(readable.connections()).or(REPOSITORY.ID.in(readable.repositories()));
    }
}
