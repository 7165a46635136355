package dev.forgeline.analytics.internal;

import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.forgeline.activity.ActivityRecorded;
import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.ForgeEvent.Comment;
import dev.forgeline.activity.ForgeEvent.Deployment;
import dev.forgeline.activity.ForgeEvent.Issue;
import dev.forgeline.activity.ForgeEvent.Pipeline;
import dev.forgeline.activity.ForgeEvent.PullRequest;
import dev.forgeline.activity.ForgeEvent.PullRequestSnapshot;
import dev.forgeline.activity.ForgeEvent.Push;
import dev.forgeline.activity.ForgeEvent.Review;
import dev.forgeline.analytics.internal.Facts.CommitFact;
import dev.forgeline.analytics.internal.Facts.DeploymentFact;
import dev.forgeline.analytics.internal.Facts.PullRequestFact;
import dev.forgeline.analytics.internal.Facts.ResponseFact;
import dev.forgeline.analytics.internal.Facts.ReviewerFact;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.TransactionScoped;
import dev.forgeline.schema.tables.records.AnDeploymentRecord;
import dev.forgeline.schema.tables.records.AnIncidentRecord;

/**
 * Keeps the facts and the daily aggregates up to date as each forge event is recorded, in the ingest
 * transaction. Every update converges whatever the order and however often an event comes: inserts are
 * idempotent, times only move to the earliest, and aggregates change by (new contribution − old).
 */
@Component
class FactRecorder {

    private final FactStore facts;
    private final Aggregates aggregates;
    private final Contributions contributions;
    private final ProductionEnvironments production;
    private final boolean enabled;
    private final String incidentLabel;
    private final Object lockedKey = new Object();
    private final Object tallyKey = new Object();

    FactRecorder(FactStore facts, Aggregates aggregates, ProductionEnvironments production, ForgelineProperties settings) {
        this.facts = facts;
        this.aggregates = aggregates;
        this.production = production;
        this.contributions = new Contributions(settings.analytics().timeZone());
        this.enabled = settings.analytics().enabled();
        this.incidentLabel = settings.analytics().incidentLabel();
    }

    @EventListener
    void on(ActivityRecorded recorded) {
        if (!enabled) {
            return;
        }
        long repo = recorded.repositoryId();
        if (!matters(recorded.event())) {
            return;
        }
        // Many events in one transaction (a batch of one repository's deliveries) lock once and add up their
        // contributions, written once just before the commit.
        Set<Long> locked = TransactionScoped.get(lockedKey, HashSet::new, done -> { });
        if (locked == null || locked.add(repo)) {
            facts.lockRepository(repo);
        }
        Tally pending = TransactionScoped.get(tallyKey, Tally::new, aggregates::add);
        Tally tally = pending != null ? pending : new Tally();
        switch (recorded.event()) {
            case Push push -> push(repo, push, tally);
            case PullRequest pr -> pullRequest(repo, pr.repo().provider(), pr.pullRequest(), mergedBy(pr), tally);
            case Review review -> review(repo, review, tally);
            case Comment comment -> comment(repo, comment, tally);
            case Issue issue -> issue(repo, issue, tally);
            case Deployment d -> {
                if (d.forgeId() != null) {
                    deployment(repo, "deployment", d.forgeId(), d.environment(), d.sha(), d.createdAt(),
                            "success".equals(d.state()) ? d.stateAt() : null, tally);
                }
            }
            case Pipeline p -> {
                if ("success".equals(p.status()) && p.finishedAt() != null && p.forgeId() != null) {
                    deployment(repo, "pipeline", p.forgeId(), p.name(), p.sha(), p.createdAt(), p.finishedAt(), tally);
                }
            }
            case ForgeEvent.PipelineJob ignored -> {
            }
            case ForgeEvent.Release ignored -> {
            }
        }
        if (pending == null) {
            aggregates.add(tally);
        }
    }

    private static boolean matters(ForgeEvent event) {
        return switch (event) {
            case Pipeline p -> "success".equals(p.status()) && p.finishedAt() != null;
            case ForgeEvent.PipelineJob ignored -> false;
            case ForgeEvent.Release ignored -> false;
            case Comment c -> "pull_request".equals(c.targetKind());
            default -> true;
        };
    }

    static String actor(String provider, String login) {
        return login == null || login.isBlank() ? null : provider + ":" + login.toLowerCase(Locale.ROOT);
    }

    static String commitActor(String provider, ForgeEvent.Commit c) {
        if (c.authorLogin() != null && !c.authorLogin().isBlank()) {
            return actor(provider, c.authorLogin());
        }
        return c.authorEmail() == null || c.authorEmail().isBlank() ? null : "email:" + c.authorEmail().toLowerCase(Locale.ROOT);
    }

    private static String mergedBy(PullRequest pr) {
        boolean merging = pr.pullRequest().state().equals("merged") && (pr.transition().equals("closed") || pr.transition().equals("merged"));
        return merging ? actor(pr.repo().provider(), pr.actor()) : null;
    }

    // Pull requests ----------------------------------------------------------------------------------------

    private void pullRequest(long repo, String provider, PullRequestSnapshot s, String mergedBy, Tally tally) {
        PullRequestFact old = facts.lockPullRequest(repo, s.number());
        PullRequestFact next = derive(old, merge(old, repo, provider, s, mergedBy));
        change(old, next, tally);
    }

    private void change(PullRequestFact old, PullRequestFact next, Tally tally) {
        if (Objects.equals(old, next)) {
            return;
        }
        facts.write(old, next);
        contributions.add(tally, old, -1);
        contributions.add(tally, next, +1);
    }

    private static int rank(String state) {
        return switch (state) {
            case "merged" -> 2;
            case "closed" -> 1;
            default -> 0;
        };
    }

    /** The newest snapshot decides the state; merged is final; times only move to the earliest seen. */
    static PullRequestFact merge(PullRequestFact old, long repo, String provider, PullRequestSnapshot s, String mergedBy) {
        Instant snapshotAt = s.updatedAt() != null ? s.updatedAt() : s.createdAt();
        Instant created = s.createdAt() != null ? s.createdAt() : snapshotAt;
        String author = actor(provider, s.author());
        if (old == null) {
            return new PullRequestFact(repo, s.number(), author, s.state(), s.draft(), snapshotAt, created, s.mergedAt(),
                    s.closedAt(), mergedBy, s.mergeCommitSha(), s.headRef(), s.additions(), s.deletions(), null, null, null, null);
        }
        boolean newer = snapshotAt.isAfter(old.snapshotAt())
                || (snapshotAt.equals(old.snapshotAt()) && rank(s.state()) > rank(old.state()));
        String state = old.state().equals("merged") || s.state().equals("merged") ? "merged" : (newer ? s.state() : old.state());
        return new PullRequestFact(repo, s.number(), old.author() != null ? old.author() : author, state,
                newer ? s.draft() : old.draft(), newer ? snapshotAt : old.snapshotAt(),
                Facts.earliest(old.createdAt(), created), Facts.earliest(old.mergedAt(), s.mergedAt()),
                newer ? s.closedAt() : old.closedAt(), old.mergedBy() != null ? old.mergedBy() : mergedBy,
                prefer(newer, s.mergeCommitSha(), old.mergeSha()), prefer(newer, s.headRef(), old.headRef()),
                prefer(newer, s.additions(), old.additions()), prefer(newer, s.deletions(), old.deletions()),
                old.firstCommitAt(), old.firstResponseAt(), old.firstReviewAt(), old.deployedAt());
    }

    private static <T> T prefer(boolean newer, T fromSnapshot, T kept) {
        return newer ? (fromSnapshot != null ? fromSnapshot : kept) : (kept != null ? kept : fromSnapshot);
    }

    /** Fills in what other facts say about the pull request, when what it depends on changed. */
    private PullRequestFact derive(PullRequestFact old, PullRequestFact pr) {
        long repo = pr.repositoryId();
        Instant firstCommit = old != null && Objects.equals(old.headRef(), pr.headRef())
                ? pr.firstCommitAt() : facts.firstCommit(repo, pr.headRef());
        boolean sameAuthor = old != null && Objects.equals(old.author(), pr.author());
        Instant firstResponse = sameAuthor ? pr.firstResponseAt() : facts.firstResponse(repo, pr.number(), pr.author(), null);
        Instant firstReview = sameAuthor ? pr.firstReviewAt() : facts.firstResponse(repo, pr.number(), pr.author(), "review");
        Instant deployed = old != null && Objects.equals(old.mergedAt(), pr.mergedAt())
                ? pr.deployedAt() : (pr.mergedAt() == null ? null : facts.firstDeploymentAfter(repo, pr.mergedAt()));
        return pr.withDerived(firstCommit, firstResponse, firstReview, deployed);
    }

    private void review(long repo, Review review, Tally tally) {
        String provider = review.repo().provider();
        if (review.pullRequest() != null) {
            pullRequest(repo, provider, review.pullRequest(), null, tally);
        }
        String reviewer = actor(provider, review.reviewer());
        if (review.submittedAt() == null || reviewer == null || review.forgeId() == null) {
            return; // a pending review: nobody has seen it yet
        }
        String prAuthor = review.pullRequest() == null ? null : actor(provider, review.pullRequest().author());
        long number = review.pullRequestNumber();
        if (!facts.insertResponse(repo, number, "review", review.forgeId(), reviewer, prAuthor, review.submittedAt())) {
            return;
        }
        contributions.add(tally, new ResponseFact(repo, number, "review", reviewer, prAuthor, review.submittedAt()), +1);
        if (!reviewer.equals(prAuthor)) {
            ReviewerFact old = facts.lockReviewer(repo, number, reviewer);
            ReviewerFact next = new ReviewerFact(repo, number, reviewer,
                    Facts.earliest(old == null ? null : old.firstAt(), review.submittedAt()));
            if (!next.equals(old)) {
                facts.write(old, next);
                contributions.add(tally, old, -1);
                contributions.add(tally, next, +1);
            }
        }
        answered(repo, number, reviewer, review.submittedAt(), true, tally);
    }

    private void comment(long repo, Comment comment, Tally tally) {
        String author = actor(comment.repo().provider(), comment.author());
        if (!"pull_request".equals(comment.targetKind()) || author == null || comment.createdAt() == null
                || comment.forgeId() == null || comment.target() == null || !comment.target().matches("\\d{1,18}")) {
            return;
        }
        long number = Long.parseLong(comment.target());
        if (facts.insertResponse(repo, number, "comment", comment.forgeId(), author, null, comment.createdAt())) {
            contributions.add(tally, new ResponseFact(repo, number, "comment", author, null, comment.createdAt()), +1);
            answered(repo, number, author, comment.createdAt(), false, tally);
        }
    }

    /** A review or comment moves the pull request's first answer earlier when it comes from someone else. */
    private void answered(long repo, long number, String actor, Instant at, boolean isReview, Tally tally) {
        PullRequestFact old = facts.lockPullRequest(repo, number);
        if (old == null || actor.equals(old.author())) {
            return; // the pull request, when it comes, looks its answers up
        }
        change(old, old.withDerived(old.firstCommitAt(), Facts.earliest(old.firstResponseAt(), at),
                isReview ? Facts.earliest(old.firstReviewAt(), at) : old.firstReviewAt(), old.deployedAt()), tally);
    }

    // Commits ------------------------------------------------------------------------------------------------

    private void push(long repo, Push push, Tally tally) {
        String provider = push.repo().provider();
        String branch = push.ref() != null && push.ref().startsWith("refs/heads/") ? push.ref().substring("refs/heads/".length()) : null;
        Instant earliest = null;
        java.util.Map<String, Instant> onBranch = new java.util.LinkedHashMap<>();
        java.util.Map<String, FactStore.CommitRow> rows = new java.util.LinkedHashMap<>();
        for (ForgeEvent.Commit c : push.commits()) {
            if (c.sha() == null || c.authoredAt() == null) {
                continue;
            }
            String actor = commitActor(provider, c);
            if (actor != null) {
                rows.putIfAbsent(c.sha(), new FactStore.CommitRow(repo, c.sha(), actor, c.authoredAt(),
                        c.additions() == null ? 0 : c.additions(), c.deletions() == null ? 0 : c.deletions()));
            }
            if (branch != null) {
                onBranch.putIfAbsent(c.sha(), c.authoredAt());
                earliest = Facts.earliest(earliest, c.authoredAt());
            }
        }
        if (!rows.isEmpty()) {
            // Under the repository's lock nobody else inserts these commits: the known ones are exactly the old ones.
            var known = facts.knownCommits(repo, rows.keySet());
            var fresh = rows.values().stream().filter(r -> !known.contains(r.sha())).toList();
            facts.insertCommits(fresh);
            for (var r : fresh) {
                contributions.add(tally, new CommitFact(repo, r.actor(), r.authoredAt(), r.additions(), r.deletions()), +1);
            }
        }
        facts.insertBranchCommits(repo, branch, onBranch);
        if (earliest != null) {
            Instant first = earliest;
            for (PullRequestFact old : facts.lockPullRequestsOfBranch(repo, branch, first)) {
                change(old, old.withDerived(first, old.firstResponseAt(), old.firstReviewAt(), old.deployedAt()), tally);
            }
        }
    }

    // Deployments and incidents ------------------------------------------------------------------------------

    private void deployment(long repo, String source, String forgeId, String environment, String sha, Instant created,
                            Instant succeededAt, Tally tally) {
        // Most deployments are told of once: inserted in one statement, without looking for a row first.
        AnDeploymentRecord fresh = facts.newDeployment();
        fresh.setRepositoryId(repo);
        fresh.setSource(source);
        fresh.setForgeId(forgeId);
        fresh.setIncidentCount(0);
        fresh.setEnvironment(environment);
        fresh.setSha(sha);
        fresh.setCreatedAt(FactStore.time(created));
        fresh.setFinishedAt(FactStore.time(succeededAt));
        fresh.setProduction(production.isProduction(repo, source, environment));
        if (facts.insertDeployment(fresh)) {
            deploymentChanged(repo, null, FactStore.deployment(fresh), tally);
            return;
        }
        AnDeploymentRecord row = facts.lockDeployment(repo, source, forgeId);
        DeploymentFact old = FactStore.deployment(row);
        if (row.getEnvironment() == null) {
            row.setEnvironment(environment);
        }
        if (row.getSha() == null) {
            row.setSha(sha);
        }
        row.setCreatedAt(FactStore.time(Facts.earliest(FactStore.instant(row.getCreatedAt()), created)));
        row.setFinishedAt(FactStore.time(Facts.earliest(FactStore.instant(row.getFinishedAt()), succeededAt)));
        row.setProduction(production.isProduction(repo, source, row.getEnvironment()));
        DeploymentFact next = FactStore.deployment(row);
        if (next.equals(old) && FactStore.instant(row.getCreatedAt()) != null && !row.changed()) {
            return;
        }
        row.store();
        deploymentChanged(repo, old, next, tally);
    }

    private void deploymentChanged(long repo, DeploymentFact old, DeploymentFact next, Tally tally) {
        contributions.add(tally, old, -1);
        contributions.add(tally, next, +1);
        boolean finishedEarlier = old == null || !old.counts() || next.finishedAt().isBefore(old.finishedAt());
        if (next.counts() && finishedEarlier) {
            deployed(repo, next, tally);
        }
    }

    /** A production deployment finished: merged PRs before it are deployed by then, later incidents are blamed on it. */
    private void deployed(long repo, DeploymentFact d, Tally tally) {
        var finished = FactStore.time(d.finishedAt());
        for (PullRequestFact old : facts.lockPullRequestsMergedBy(repo, d.finishedAt())) {
            change(old, old.withDerived(old.firstCommitAt(), old.firstResponseAt(), old.firstReviewAt(), d.finishedAt()), tally);
        }
        for (AnIncidentRecord incident : facts.lockIncidentsFrom(repo, d.finishedAt())) {
            if (d.source().equals(incident.getDeploymentSource()) && d.forgeId().equals(incident.getDeploymentForgeId())) {
                incident.setDeploymentFinishedAt(finished); // the same culprit, now known to have finished earlier
                incident.store();
            } else if (later(d, incident)) {
                link(incident, d.source(), d.forgeId(), d.finishedAt(), tally);
            }
        }
    }

    /** Whether the deployment is a later culprit than the one the incident is blamed on now (ties by source and id). */
    private static boolean later(DeploymentFact d, AnIncidentRecord incident) {
        if (incident.getDeploymentFinishedAt() == null) {
            return true;
        }
        int byTime = d.finishedAt().compareTo(incident.getDeploymentFinishedAt().toInstant());
        if (byTime != 0) {
            return byTime > 0;
        }
        int bySource = d.source().compareTo(incident.getDeploymentSource());
        return bySource != 0 ? bySource > 0 : d.forgeId().compareTo(incident.getDeploymentForgeId()) > 0;
    }

    private void link(AnIncidentRecord incident, String source, String forgeId, Instant finished, Tally tally) {
        boolean counted = incident.getIsIncident() && incident.getDeploymentSource() != null;
        String oldSource = incident.getDeploymentSource();
        String oldForgeId = incident.getDeploymentForgeId();
        incident.setDeploymentSource(source);
        incident.setDeploymentForgeId(forgeId);
        incident.setDeploymentFinishedAt(FactStore.time(finished));
        incident.store();
        if (counted) {
            countIncident(incident.getRepositoryId(), oldSource, oldForgeId, -1, tally);
        }
        if (incident.getIsIncident() && source != null) {
            countIncident(incident.getRepositoryId(), source, forgeId, +1, tally);
        }
    }

    private void countIncident(long repo, String source, String forgeId, int delta, Tally tally) {
        AnDeploymentRecord row = facts.lockDeployment(repo, source, forgeId);
        if (row == null) {
            return;
        }
        DeploymentFact old = FactStore.deployment(row);
        row.setIncidentCount(row.getIncidentCount() + delta);
        row.store();
        contributions.add(tally, old, -1);
        contributions.add(tally, FactStore.deployment(row), +1);
    }

    private void issue(long repo, Issue issue, Tally tally) {
        boolean labelled = issue.labels() != null && issue.labels().stream().anyMatch(incidentLabel::equalsIgnoreCase);
        AnIncidentRecord row = facts.lockIncident(repo, issue.number());
        if ((row == null && !labelled) || issue.createdAt() == null) {
            return;
        }
        Instant snapshotAt = issue.updatedAt() != null ? issue.updatedAt() : issue.createdAt();
        Instant resolved = "closed".equals(issue.state()) ? (issue.closedAt() != null ? issue.closedAt() : snapshotAt) : null;
        if (row == null) {
            row = facts.newIncident();
            row.setRepositoryId(repo);
            row.setNumber(issue.number());
            row.setCreatedAt(FactStore.time(issue.createdAt()));
            row.setSnapshotAt(FactStore.time(snapshotAt));
            row.setIsIncident(false);
            row.setResolvedAt(FactStore.time(resolved));
            row.store();
        }
        boolean newer = !snapshotAt.isBefore(row.getSnapshotAt().toInstant());
        boolean wasCounted = row.getIsIncident() && row.getDeploymentSource() != null;
        Instant created = Facts.earliest(row.getCreatedAt().toInstant(), issue.createdAt());
        boolean createdMoved = !created.equals(row.getCreatedAt().toInstant()) || row.getDeploymentSource() == null;
        row.setCreatedAt(FactStore.time(created));
        if (newer) {
            row.setSnapshotAt(FactStore.time(snapshotAt));
            row.setResolvedAt(FactStore.time(resolved));
            row.setIsIncident(labelled);
        }
        if (createdMoved) {
            AnDeploymentRecord culprit = facts.latestDeploymentAtOrBefore(repo, created);
            String oldSource = row.getDeploymentSource();
            String oldForgeId = row.getDeploymentForgeId();
            row.setDeploymentSource(culprit == null ? null : culprit.getSource());
            row.setDeploymentForgeId(culprit == null ? null : culprit.getForgeId());
            row.setDeploymentFinishedAt(culprit == null ? null : culprit.getFinishedAt());
            row.store();
            if (wasCounted) {
                countIncident(repo, oldSource, oldForgeId, -1, tally);
            }
        } else {
            row.store();
            if (wasCounted && !row.getIsIncident()) {
                countIncident(repo, row.getDeploymentSource(), row.getDeploymentForgeId(), -1, tally);
            }
        }
        boolean counted = row.getIsIncident() && row.getDeploymentSource() != null;
        if (counted && (createdMoved || !wasCounted)) {
            countIncident(repo, row.getDeploymentSource(), row.getDeploymentForgeId(), +1, tally);
        }
    }
}
