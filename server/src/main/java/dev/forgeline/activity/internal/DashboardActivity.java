package dev.forgeline.activity.internal;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.forgeline.activity.RepositoryActivity;

/** Answers through the repositories API's own queries, so the page and the API never disagree. */
@Component
class DashboardActivity implements RepositoryActivity {

    private final ActivityController api;

    DashboardActivity(ActivityController api) {
        this.api = api;
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
