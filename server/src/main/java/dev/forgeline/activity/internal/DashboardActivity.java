package dev.forgeline.activity.internal;

import static dev.forgeline.schema.Tables.PULL_REQUEST;
import static dev.forgeline.schema.Tables.PULL_REQUEST_EVENT;
import static dev.forgeline.schema.Tables.REPOSITORY;
import static dev.forgeline.schema.Tables.REVIEW;

import java.util.Collection;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import org.springframework.stereotype.Component;

import dev.forgeline.activity.RepositoryActivity;

/** Answers through the repositories API's own queries, so the page and the API never disagree. */
@Component
class DashboardActivity implements RepositoryActivity {

    private final ActivityController api;

    private final DSLContext db;

    DashboardActivity(ActivityController api, DSLContext db) {
        this.api = api;
        this.db = db;
    }

    @Override
    public List<OpenPullRequest> longestWaiting(Collection<Long> repositoryIds, int limit) {
        if (repositoryIds.isEmpty()) {
            return List.of();
        }
        var ready = DSL.field(DSL.select(DSL.max(PULL_REQUEST_EVENT.AT)).from(PULL_REQUEST_EVENT)
                .where(PULL_REQUEST_EVENT.PULL_REQUEST_ID.eq(PULL_REQUEST.ID))
                .and(PULL_REQUEST_EVENT.KIND.in("ready_for_review", "reopened")));
        var reviewed = DSL.field(DSL.exists(DSL.selectOne().from(REVIEW).where(REVIEW.PULL_REQUEST_ID.eq(PULL_REQUEST.ID))));
        var since = DSL.coalesce(ready, PULL_REQUEST.CREATED_AT);
        return db.select(PULL_REQUEST.REPOSITORY_ID, REPOSITORY.FULL_NAME, PULL_REQUEST.NUMBER, PULL_REQUEST.TITLE,
                        PULL_REQUEST.AUTHOR, since, reviewed)
                .from(PULL_REQUEST).join(REPOSITORY).on(REPOSITORY.ID.eq(PULL_REQUEST.REPOSITORY_ID))
                .where(PULL_REQUEST.REPOSITORY_ID.in(repositoryIds)).and(PULL_REQUEST.STATE.eq("open"))
                .and(PULL_REQUEST.DRAFT.isFalse())
                .orderBy(since.asc().nullsLast()).limit(limit)
                .fetch(r -> new OpenPullRequest(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        Boolean.TRUE.equals(r.value7())));
    }

    @Override
    public List<PullRequest> pullRequests(long repositoryId, int limit) {
        return api.pullRequests(repositoryId, limit, 0).stream().map(p -> new PullRequest(p.number(), p.title(), p.author(),
                p.state(), p.draft(), p.createdAt(), p.mergedAt(), p.closedAt(), p.additions(), p.deletions(),
                p.transitions().stream().map(t -> new Transition(t.kind(), t.at(), t.actor())).toList(), p.reviewers())).toList();
    }

    @Override
    public List<Pipeline> pipelines(long repositoryId, int limit) {
        return api.pipelines(repositoryId, limit, 0).stream().map(p -> new Pipeline(p.name(), p.ref(), p.sha(), p.status(),
                p.createdAt(), p.startedAt(), p.finishedAt())).toList();
    }

    @Override
    public List<Deployment> deployments(long repositoryId, int limit) {
        return api.deployments(repositoryId, limit, 0).stream().map(d -> new Deployment(d.environment(), d.sha(), d.ref(),
                d.creator(), d.createdAt(), d.statuses().stream().map(s -> new DeploymentStatus(s.state(), s.at())).toList())).toList();
    }
}
