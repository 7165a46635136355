package dev.forgeline.analytics.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * Keeps the facts and the daily aggregates up to date as forge events are recorded, in the ingest transaction.
 * Every update converges whatever the order and however often an event comes: inserts are idempotent, times only
 * move to the earliest, and aggregates change by (new contribution − old).
 */
@Component
class FactRecorder {

    private final FactStore facts;
    private final Aggregates aggregates;
    private final Contributions contributions;
    private final ProductionEnvironments production;
    private final boolean enabled;
    private final String incidentLabel;
    private final Object batchKey = new Object();

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
        if (!enabled || !matters(recorded.event())) {
            return;
        }
        // The events of one transaction (a batch of one repository's deliveries) are applied together just before
        // the commit: what they will read is then read in a few statements, and what they change written in a few.
        List<ActivityRecorded> batch = TransactionScoped.get(batchKey, ArrayList::new, this::record);
        if (batch != null) {
            batch.add(recorded);
        } else {
            record(List.of(recorded));
        }
    }

    private void record(List<ActivityRecorded> recorded) {
        // One repository after another, in one order, so that concurrent transactions cannot deadlock on their locks.
        Map<Long, List<ForgeEvent>> byRepository = new TreeMap<>();
        recorded.forEach(r -> byRepository.computeIfAbsent(r.repositoryId(), k -> new ArrayList<>()).add(r.event()));
        byRepository.forEach((repo, events) -> {
            FactBatch batch = FactBatch.open(facts, repo, wanted(repo, events));
            events.forEach(event -> apply(batch, event));
            batch.flush();
            aggregates.add(batch.tally);
        });
    }

    private void apply(FactBatch b, ForgeEvent event) {
        switch (event) {
            case Push push -> push(b, push);
            case PullRequest pr -> pullRequest(b, pr.repo().provider(), pr.pullRequest(), mergedBy(pr));
            case Review review -> review(b, review);
            case Comment comment -> comment(b, comment);
            case Issue issue -> issue(b, issue);
            case Deployment d -> {
                if (d.forgeId() != null) {
                    deployment(b, "deployment", d.forgeId(), d.environment(), d.sha(), d.createdAt(),
                            "success".equals(d.state()) ? d.stateAt() : null);
                }
            }
            case Pipeline p -> {
                if ("success".equals(p.status()) && p.finishedAt() != null && p.forgeId() != null) {
                    deployment(b, "pipeline", p.forgeId(), p.name(), p.sha(), p.createdAt(), p.finishedAt());
                }
            }
            case ForgeEvent.PipelineJob ignored -> {
            }
            case ForgeEvent.Release ignored -> {
            }
        }
    }

    /**
     * What the events will ask the facts about. Asking for more than they do costs a larger read, and for less a
     * statement more when they ask; what they read is the same.
     */
    private FactBatch.Wanted wanted(long repo, List<ForgeEvent> events) {
        FactBatch.Wanted w = new FactBatch.Wanted();
        for (ForgeEvent event : events) {
            switch (event) {
                case Push push -> {
                    String branch = branch(push);
                    for (ForgeEvent.Commit c : push.commits()) {
                        if (c.sha() != null && c.authoredAt() != null) {
                            w.shas.add(c.sha());
                            if (branch != null) {
                                w.pushedBranches.add(branch);
                                w.pushedFrom = Facts.earliest(w.pushedFrom, c.authoredAt());
                            }
                        }
                    }
                }
                case PullRequest pr -> wanted(w, pr.pullRequest());
                case Review review -> {
                    wanted(w, review.pullRequest());
                    w.pullRequests.add(review.pullRequestNumber());
                    if (review.forgeId() != null) {
                        w.reviews.add(review.forgeId());
                    }
                }
                case Comment comment -> {
                    if (comment.forgeId() != null && comment.target() != null && comment.target().matches("\\d{1,18}")) {
                        w.pullRequests.add(Long.parseLong(comment.target()));
                        w.comments.add(comment.forgeId());
                    }
                }
                case Issue issue -> w.issues.add(issue.number());
                // Only a production deployment asks which pull requests it deploys and which incidents follow it.
                case Deployment d -> {
                    if (d.forgeId() != null) {
                        w.deployments.add(d.forgeId());
                        if ("success".equals(d.state()) && d.stateAt() != null
                                && production.isProduction(repo, "deployment", d.environment())) {
                            w.deployed(d.stateAt());
                        }
                    }
                }
                case Pipeline p -> {
                    if (p.forgeId() != null && p.finishedAt() != null) {
                        w.deployments.add(p.forgeId());
                        if (production.isProduction(repo, "pipeline", p.name())) {
                            w.deployed(p.finishedAt());
                        }
                    }
                }
                case ForgeEvent.PipelineJob ignored -> {
                }
                case ForgeEvent.Release ignored -> {
                }
            }
        }
        return w;
    }

    private static void wanted(FactBatch.Wanted w, PullRequestSnapshot s) {
        if (s != null) {
            w.pullRequests.add(s.number());
            if (s.mergedAt() != null) {
                w.merged(s.mergedAt());
            }
            if (s.headRef() != null) {
                w.headRefs.add(s.headRef());
            }
        }
    }

    private static String branch(Push push) {
        return push.ref() != null && push.ref().startsWith("refs/heads/") ? push.ref().substring("refs/heads/".length()) : null;
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

    private void pullRequest(FactBatch b, String provider, PullRequestSnapshot s, String mergedBy) {
        PullRequestFact old = b.pullRequest(s.number());
        PullRequestFact next = derive(b, old, merge(old, b.repo, provider, s, mergedBy));
        change(b, old, next);
    }

    private void change(FactBatch b, PullRequestFact old, PullRequestFact next) {
        if (Objects.equals(old, next)) {
            return;
        }
        b.write(next);
        contributions.add(b.tally, old, -1);
        contributions.add(b.tally, next, +1);
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
    private PullRequestFact derive(FactBatch b, PullRequestFact old, PullRequestFact pr) {
        Instant firstCommit = old != null && Objects.equals(old.headRef(), pr.headRef())
                ? pr.firstCommitAt() : b.firstCommit(pr.headRef());
        boolean sameAuthor = old != null && Objects.equals(old.author(), pr.author());
        Instant firstResponse = sameAuthor ? pr.firstResponseAt() : b.firstResponse(pr.number(), pr.author(), null);
        Instant firstReview = sameAuthor ? pr.firstReviewAt() : b.firstResponse(pr.number(), pr.author(), "review");
        Instant deployed = old != null && Objects.equals(old.mergedAt(), pr.mergedAt())
                ? pr.deployedAt() : (pr.mergedAt() == null ? null : b.firstDeploymentAfter(pr.mergedAt()));
        return pr.withDerived(firstCommit, firstResponse, firstReview, deployed);
    }

    private void review(FactBatch b, Review review) {
        long repo = b.repo;
        String provider = review.repo().provider();
        if (review.pullRequest() != null) {
            pullRequest(b, provider, review.pullRequest(), null);
        }
        String reviewer = actor(provider, review.reviewer());
        if (review.submittedAt() == null || reviewer == null || review.forgeId() == null) {
            return; // a pending review: nobody has seen it yet
        }
        String prAuthor = review.pullRequest() == null ? null : actor(provider, review.pullRequest().author());
        long number = review.pullRequestNumber();
        if (!b.addResponse(number, "review", review.forgeId(), reviewer, prAuthor, review.submittedAt())) {
            return;
        }
        contributions.add(b.tally, new ResponseFact(repo, number, "review", reviewer, prAuthor, review.submittedAt()), +1);
        if (!reviewer.equals(prAuthor)) {
            ReviewerFact old = b.reviewer(number, reviewer);
            ReviewerFact next = new ReviewerFact(repo, number, reviewer,
                    Facts.earliest(old == null ? null : old.firstAt(), review.submittedAt()));
            if (!next.equals(old)) {
                b.write(next);
                contributions.add(b.tally, old, -1);
                contributions.add(b.tally, next, +1);
            }
        }
        answered(b, number, reviewer, review.submittedAt(), true);
    }

    private void comment(FactBatch b, Comment comment) {
        String author = actor(comment.repo().provider(), comment.author());
        if (!"pull_request".equals(comment.targetKind()) || author == null || comment.createdAt() == null
                || comment.forgeId() == null || comment.target() == null || !comment.target().matches("\\d{1,18}")) {
            return;
        }
        long number = Long.parseLong(comment.target());
        if (b.addResponse(number, "comment", comment.forgeId(), author, null, comment.createdAt())) {
            contributions.add(b.tally, new ResponseFact(b.repo, number, "comment", author, null, comment.createdAt()), +1);
            answered(b, number, author, comment.createdAt(), false);
        }
    }

    /** A review or comment moves the pull request's first answer earlier when it comes from someone else. */
    private void answered(FactBatch b, long number, String actor, Instant at, boolean isReview) {
        PullRequestFact old = b.pullRequest(number);
        if (old == null || actor.equals(old.author())) {
            return; // the pull request, when it comes, looks its answers up
        }
        change(b, old, old.withDerived(old.firstCommitAt(), Facts.earliest(old.firstResponseAt(), at),
                isReview ? Facts.earliest(old.firstReviewAt(), at) : old.firstReviewAt(), old.deployedAt()));
    }

    // Commits ------------------------------------------------------------------------------------------------

    private void push(FactBatch b, Push push) {
        long repo = b.repo;
        String provider = push.repo().provider();
        String branch = branch(push);
        Instant earliest = null;
        Map<String, FactStore.CommitRow> rows = new LinkedHashMap<>();
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
                earliest = Facts.earliest(earliest, c.authoredAt());
            }
        }
        if (!rows.isEmpty()) {
            // Under the repository's lock nobody else inserts these commits: the known ones are exactly the old ones.
            var known = b.knownCommits(rows.keySet());
            var fresh = rows.values().stream().filter(r -> !known.contains(r.sha())).toList();
            b.addCommits(fresh);
            for (var r : fresh) {
                contributions.add(b.tally, new CommitFact(repo, r.actor(), r.authoredAt(), r.additions(), r.deletions()), +1);
            }
        }
        if (earliest != null) {
            b.pushed(branch, earliest);
            Instant first = earliest;
            for (PullRequestFact old : b.pullRequestsOfBranch(branch, first)) {
                change(b, old, old.withDerived(first, old.firstResponseAt(), old.firstReviewAt(), old.deployedAt()));
            }
        }
    }

    // Deployments and incidents ------------------------------------------------------------------------------

    private void deployment(FactBatch b, String source, String forgeId, String environment, String sha, Instant created,
                            Instant succeededAt) {
        long repo = b.repo;
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
        if (b.addDeployment(fresh)) {
            deploymentChanged(b, null, FactStore.deployment(fresh));
            return;
        }
        AnDeploymentRecord row = b.deployment(source, forgeId);
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
        b.changed(row);
        deploymentChanged(b, old, next);
    }

    private void deploymentChanged(FactBatch b, DeploymentFact old, DeploymentFact next) {
        contributions.add(b.tally, old, -1);
        contributions.add(b.tally, next, +1);
        boolean finishedEarlier = old == null || !old.counts() || next.finishedAt().isBefore(old.finishedAt());
        if (next.counts() && finishedEarlier) {
            deployed(b, next);
        }
    }

    /** A production deployment finished: merged PRs before it are deployed by then, later incidents are blamed on it. */
    private void deployed(FactBatch b, DeploymentFact d) {
        var finished = FactStore.time(d.finishedAt());
        for (PullRequestFact old : b.pullRequestsMergedBy(d.finishedAt())) {
            change(b, old, old.withDerived(old.firstCommitAt(), old.firstResponseAt(), old.firstReviewAt(), d.finishedAt()));
        }
        for (AnIncidentRecord incident : b.incidentsFrom(d.finishedAt())) {
            if (d.source().equals(incident.getDeploymentSource()) && d.forgeId().equals(incident.getDeploymentForgeId())) {
                incident.setDeploymentFinishedAt(finished); // the same culprit, now known to have finished earlier
                incident.store();
            } else if (later(d, incident)) {
                link(b, incident, d.source(), d.forgeId(), d.finishedAt());
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

    private void link(FactBatch b, AnIncidentRecord incident, String source, String forgeId, Instant finished) {
        boolean counted = incident.getIsIncident() && incident.getDeploymentSource() != null;
        String oldSource = incident.getDeploymentSource();
        String oldForgeId = incident.getDeploymentForgeId();
        incident.setDeploymentSource(source);
        incident.setDeploymentForgeId(forgeId);
        incident.setDeploymentFinishedAt(FactStore.time(finished));
        incident.store();
        if (counted) {
            countIncident(b, oldSource, oldForgeId, -1);
        }
        if (incident.getIsIncident() && source != null) {
            countIncident(b, source, forgeId, +1);
        }
    }

    private void countIncident(FactBatch b, String source, String forgeId, int delta) {
        AnDeploymentRecord row = b.deployment(source, forgeId);
        if (row == null) {
            return;
        }
        DeploymentFact old = FactStore.deployment(row);
        row.setIncidentCount(row.getIncidentCount() + delta);
        b.changed(row);
        contributions.add(b.tally, old, -1);
        contributions.add(b.tally, FactStore.deployment(row), +1);
    }

    private void issue(FactBatch b, Issue issue) {
        long repo = b.repo;
        boolean labelled = issue.labels() != null && issue.labels().stream().anyMatch(incidentLabel::equalsIgnoreCase);
        AnIncidentRecord row = b.incident(issue.number());
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
            b.added(row);
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
            AnDeploymentRecord culprit = b.latestDeploymentAtOrBefore(created);
            String oldSource = row.getDeploymentSource();
            String oldForgeId = row.getDeploymentForgeId();
            row.setDeploymentSource(culprit == null ? null : culprit.getSource());
            row.setDeploymentForgeId(culprit == null ? null : culprit.getForgeId());
            row.setDeploymentFinishedAt(culprit == null ? null : culprit.getFinishedAt());
            row.store();
            if (wasCounted) {
                countIncident(b, oldSource, oldForgeId, -1);
            }
        } else {
            row.store();
            if (wasCounted && !row.getIsIncident()) {
                countIncident(b, row.getDeploymentSource(), row.getDeploymentForgeId(), -1);
            }
        }
        boolean counted = row.getIsIncident() && row.getDeploymentSource() != null;
        if (counted && (createdMoved || !wasCounted)) {
            countIncident(b, row.getDeploymentSource(), row.getDeploymentForgeId(), +1);
        }
    }
}
