package dev.forgeline.analytics.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import dev.forgeline.analytics.internal.FactStore.CommitRow;
import dev.forgeline.analytics.internal.FactStore.ResponseRow;
import dev.forgeline.analytics.internal.Facts.PullRequestFact;
import dev.forgeline.analytics.internal.Facts.ReviewerFact;
import dev.forgeline.schema.tables.records.AnDeploymentRecord;
import dev.forgeline.schema.tables.records.AnIncidentRecord;

/**
 * One repository's facts as a batch of its events reads and changes them, under the repository's lock. What the
 * events will ask for is read first, a few statements in all ({@link Wanted}); the events then read and change it
 * in memory, in order; {@link #flush} writes what changed with one statement per table and kind of change. A
 * batch of fifty deliveries thus costs about twenty statements instead of three per delivery. A question the first
 * reads did not cover goes to the database, so what the events see never depends on what was foreseen.
 */
final class FactBatch {

    /** What a batch's events will ask about, gathered from the events before any of them is applied. */
    static final class Wanted {
        final Set<Long> pullRequests = new HashSet<>();
        final Set<String> headRefs = new HashSet<>();
        final Set<String> pushedBranches = new HashSet<>();
        Instant pushedFrom;
        final Set<String> shas = new HashSet<>();
        final Set<String> reviews = new HashSet<>();
        final Set<String> comments = new HashSet<>();
        final Set<String> deployments = new HashSet<>();
        Instant deployedFrom;
        Instant deployedTo;
        Instant mergedFrom;
        Instant mergedTo;
        final Set<Long> issues = new HashSet<>();

        void deployed(Instant at) {
            deployedFrom = Facts.earliest(deployedFrom, at);
            deployedTo = latest(deployedTo, at);
        }

        void merged(Instant at) {
            mergedFrom = Facts.earliest(mergedFrom, at);
            mergedTo = latest(mergedTo, at);
        }

        private static Instant latest(Instant a, Instant b) {
            return a == null || b.isAfter(a) ? b : a;
        }
    }

    final long repo;
    final Tally tally = new Tally();
    private final FactStore store;

    /** Pull requests read (stored null: none) and what they are now. */
    private final Map<Long, Pending<PullRequestFact>> pullRequests = new HashMap<>();
    /** Per branch, the time after which all its pull requests' first commits were read (or are unknown). */
    private final Map<String, Instant> branchesRead = new HashMap<>();
    private Instant mergedReadFrom;
    private Instant mergedReadTo;

    private final Map<String, Instant> storedFirstCommits = new HashMap<>();
    private final Set<String> firstCommitsRead = new HashSet<>();
    private final Map<String, Instant> newFirstCommits = new HashMap<>();

    private final Set<String> commits = new HashSet<>();
    private final Set<String> commitsRead = new HashSet<>();
    private final List<CommitRow> newCommits = new ArrayList<>();

    /** Responses by (kind, forge id), their key; those of the pull requests in responsesRead are all here. */
    private final Map<String, ResponseRow> responses = new HashMap<>();
    private final Set<Long> responsesRead = new HashSet<>();
    private final Set<String> responseKeysRead = new HashSet<>();
    private final List<ResponseRow> newResponses = new ArrayList<>();

    private final Map<ReviewerKey, Pending<ReviewerFact>> reviewers = new HashMap<>();
    private final Set<Long> reviewersRead = new HashSet<>();

    /** Deployments read or added, by (source, forge id); those of every forge id in deploymentsRead are here. */
    private final Map<DeploymentKey, AnDeploymentRecord> deployments = new HashMap<>();
    private final Set<DeploymentKey> newDeployments = new LinkedHashSet<>();
    private final Set<DeploymentKey> changedDeployments = new LinkedHashSet<>();
    private final Set<String> deploymentsRead = new HashSet<>();
    /** The production deployments' finishes that answer firstDeploymentAfter for merges in [mergesFrom, mergesTo]. */
    private List<FactStore.Finish> finishes = List.of();
    private Instant mergesFrom;
    private Instant mergesTo;

    /** Incidents by number: those read, and those created. Their changes are written at once. */
    private final Map<Long, AnIncidentRecord> incidents = new HashMap<>();
    private final Set<Long> incidentsRead = new HashSet<>();
    private Instant incidentsReadFrom;

    private FactBatch(long repo, FactStore store) {
        this.repo = repo;
        this.store = store;
    }

    /** Locks the repository and reads what the batch wants. */
    static FactBatch open(FactStore store, long repo, Wanted wanted) {
        store.lockRepository(repo);
        FactBatch batch = new FactBatch(repo, store);
        batch.read(wanted);
        return batch;
    }

    private void read(Wanted w) {
        boolean branches = !w.pushedBranches.isEmpty() && w.pushedFrom != null;
        if (!w.pullRequests.isEmpty() || branches || w.deployedTo != null) {
            List<PullRequestFact> stored = store.lockPullRequests(repo, w.pullRequests, branches ? w.pushedBranches : Set.of(),
                    w.pushedFrom, w.deployedFrom, w.deployedTo);
            stored.forEach(pr -> pullRequests.put(pr.number(), new Pending<>(pr)));
            w.pullRequests.forEach(n -> pullRequests.putIfAbsent(n, new Pending<>(null)));
            if (branches) {
                w.pushedBranches.forEach(b -> branchesRead.put(b, w.pushedFrom));
            }
            mergedReadFrom = w.deployedFrom;
            mergedReadTo = w.deployedTo;
        }
        storedFirstCommits.putAll(store.firstCommits(repo, w.headRefs));
        firstCommitsRead.addAll(w.headRefs);
        commits.addAll(store.knownCommits(repo, w.shas));
        commitsRead.addAll(w.shas);
        if (!w.pullRequests.isEmpty() || !w.reviews.isEmpty() || !w.comments.isEmpty()) {
            store.responses(repo, w.pullRequests, w.reviews, w.comments).forEach(r -> responses.put(key(r.kind(), r.forgeId()), r));
            responsesRead.addAll(w.pullRequests);
            w.reviews.forEach(id -> responseKeysRead.add(key("review", id)));
            w.comments.forEach(id -> responseKeysRead.add(key("comment", id)));
        }
        store.reviewers(repo, w.pullRequests).forEach(r -> reviewers.put(new ReviewerKey(r.number(), r.reviewer()), new Pending<>(r)));
        reviewersRead.addAll(w.pullRequests);
        store.lockDeployments(repo, w.deployments).forEach(d -> deployments.put(new DeploymentKey(d.getSource(), d.getForgeId()), d));
        deploymentsRead.addAll(w.deployments);
        if (w.mergedTo != null) {
            finishes = store.productionFinishes(repo, w.mergedFrom, w.mergedTo);
            mergesFrom = w.mergedFrom;
            mergesTo = w.mergedTo;
        }
        if (!w.issues.isEmpty() || w.deployedFrom != null) {
            store.lockIncidents(repo, w.issues, w.deployedFrom).forEach(i -> incidents.put(i.getNumber(), i));
            incidentsRead.addAll(w.issues);
            incidentsReadFrom = w.deployedFrom;
        }
    }

    // Pull requests ----------------------------------------------------------------------------------------

    /** A value as read (null: no row) and as the events have made it. */
    private static final class Pending<T> {
        final T stored;
        T now;

        Pending(T stored) {
            this.stored = stored;
            this.now = stored;
        }
    }

    PullRequestFact pullRequest(long number) {
        return pullRequests.computeIfAbsent(number, n -> new Pending<>(store.lockPullRequest(repo, n))).now;
    }

    void write(PullRequestFact pr) {
        pullRequests.computeIfAbsent(pr.number(), n -> new Pending<>(store.lockPullRequest(repo, n))).now = pr;
    }

    /** The branch's pull requests whose first commit is unknown or later than the time. */
    List<PullRequestFact> pullRequestsOfBranch(String branch, Instant firstCommit) {
        Instant readFrom = branchesRead.get(branch);
        if (readFrom == null || firstCommit.isBefore(readFrom)) {
            readAlso(store.lockPullRequestsOfBranch(repo, branch, firstCommit));
            branchesRead.put(branch, firstCommit);
        }
        // Every stored row that matches was read; what the batch changed is taken as it is now.
        return pullRequests(pr -> branch.equals(pr.headRef()) && (pr.firstCommitAt() == null || pr.firstCommitAt().isAfter(firstCommit)));
    }

    /** The pull requests merged at or before the time whose deployment is unknown or later than it. */
    List<PullRequestFact> pullRequestsMergedBy(Instant deployed) {
        if (mergedReadTo == null || deployed.isBefore(mergedReadFrom) || deployed.isAfter(mergedReadTo)) {
            readAlso(store.lockPullRequestsMergedBy(repo, deployed));
        }
        return pullRequests(pr -> pr.mergedAt() != null && !pr.mergedAt().isAfter(deployed)
                && (pr.deployedAt() == null || pr.deployedAt().isAfter(deployed)));
    }

    private void readAlso(List<PullRequestFact> stored) {
        stored.forEach(pr -> pullRequests.putIfAbsent(pr.number(), new Pending<>(pr)));
    }

    private List<PullRequestFact> pullRequests(Predicate<PullRequestFact> matches) {
        return pullRequests.values().stream().map(p -> p.now).filter(pr -> pr != null && matches.test(pr))
                .sorted(Comparator.comparingLong(PullRequestFact::number)).toList();
    }

    /** The earliest commit authored on the branch: the start of coding time. */
    Instant firstCommit(String branch) {
        if (branch == null) {
            return null;
        }
        if (firstCommitsRead.add(branch)) {
            storedFirstCommits.putAll(store.firstCommits(repo, List.of(branch)));
        }
        return Facts.earliest(storedFirstCommits.get(branch), newFirstCommits.get(branch));
    }

    /** The first review or comment (or only review, when kind is given) by someone other than the author. */
    Instant firstResponse(long number, String author, String kind) {
        if (responsesRead.add(number)) {
            store.responses(repo, List.of(number), List.of(), List.of()).forEach(r -> responses.putIfAbsent(key(r.kind(), r.forgeId()), r));
        }
        Instant first = null;
        for (ResponseRow r : responses.values()) {
            if (r.number() == number && (author == null || !author.equals(r.actor())) && (kind == null || kind.equals(r.kind()))) {
                first = Facts.earliest(first, r.at());
            }
        }
        return first;
    }

    /** The finish of the first production deployment at or after the merge: the end of deploy time. */
    Instant firstDeploymentAfter(Instant mergedAt) {
        Instant first = null;
        Collection<DeploymentKey> inMemory;
        if (finishesAnswer(mergedAt)) {
            // The first stored finish at or after the merge, of a deployment the batch has not read: the others are
            // taken as the batch has them.
            for (FactStore.Finish f : finishes) {
                if (!f.finishedAt().isBefore(mergedAt) && !deployments.containsKey(new DeploymentKey(f.source(), f.forgeId()))) {
                    first = f.finishedAt();
                    break;
                }
            }
            inMemory = deployments.keySet();
        } else {
            writeChangedDeployments(); // the stored rows as the batch has them, so that the database's answer is right
            first = store.firstDeploymentAfter(repo, mergedAt);
            inMemory = newDeployments;
        }
        for (DeploymentKey key : inMemory) {
            AnDeploymentRecord d = deployments.get(key);
            Instant finished = d == null ? null : FactStore.instant(d.getFinishedAt());
            if (finished != null && d.getProduction() && !finished.isBefore(mergedAt)) {
                first = Facts.earliest(first, finished);
            }
        }
        return first;
    }

    /**
     * Whether the finishes read answer for a merge at the time: it lies in the window they were read for, and the
     * last of them, which bounds the window, has not moved (a later one would then be missing).
     */
    private boolean finishesAnswer(Instant mergedAt) {
        if (mergesTo == null || mergedAt.isBefore(mergesFrom) || mergedAt.isAfter(mergesTo)) {
            return false;
        }
        if (finishes.isEmpty()) {
            return true;
        }
        FactStore.Finish last = finishes.getLast();
        AnDeploymentRecord now = deployments.get(new DeploymentKey(last.source(), last.forgeId()));
        return now == null || (now.getProduction() && last.finishedAt().equals(FactStore.instant(now.getFinishedAt())));
    }

    // Responses, reviewers, commits --------------------------------------------------------------------------

    private static String key(String kind, String forgeId) {
        return kind + ":" + forgeId;
    }

    /** Records the review or comment unless it is known: whether it was new. */
    boolean addResponse(long number, String kind, String forgeId, String actor, String prAuthor, Instant at) {
        String key = key(kind, forgeId);
        if (responseKeysRead.add(key)) {
            store.responses(repo, List.of(), kind.equals("review") ? List.of(forgeId) : List.of(),
                    kind.equals("comment") ? List.of(forgeId) : List.of()).forEach(r -> responses.putIfAbsent(key(r.kind(), r.forgeId()), r));
        }
        if (responses.containsKey(key)) {
            return false;
        }
        ResponseRow row = new ResponseRow(number, kind, forgeId, actor, prAuthor, at);
        responses.put(key, row);
        newResponses.add(row);
        return true;
    }

    private record ReviewerKey(long number, String reviewer) {
    }

    ReviewerFact reviewer(long number, String reviewer) {
        if (reviewersRead.add(number)) {
            store.reviewers(repo, List.of(number)).forEach(r -> reviewers.putIfAbsent(new ReviewerKey(number, r.reviewer()), new Pending<>(r)));
        }
        Pending<ReviewerFact> known = reviewers.get(new ReviewerKey(number, reviewer));
        return known == null ? null : known.now;
    }

    void write(ReviewerFact now) {
        reviewers.computeIfAbsent(new ReviewerKey(now.number(), now.reviewer()), k -> new Pending<>(null)).now = now;
    }

    /** The commits among these that are already known. */
    Set<String> knownCommits(Collection<String> shas) {
        List<String> unread = shas.stream().filter(commitsRead::add).toList();
        commits.addAll(store.knownCommits(repo, unread));
        Set<String> known = new HashSet<>(shas);
        known.retainAll(commits);
        return known;
    }

    void addCommits(List<CommitRow> fresh) {
        fresh.forEach(c -> commits.add(c.sha()));
        newCommits.addAll(fresh);
    }

    /** Commits authored at the time were pushed to the branch. */
    void pushed(String branch, Instant earliest) {
        newFirstCommits.merge(branch, earliest, Facts::earliest);
    }

    // Deployments and incidents ------------------------------------------------------------------------------

    private record DeploymentKey(String source, String forgeId) {
    }

    AnDeploymentRecord deployment(String source, String forgeId) {
        DeploymentKey key = new DeploymentKey(source, forgeId);
        if (deploymentsRead.add(forgeId)) {
            store.lockDeployments(repo, List.of(forgeId)).forEach(d -> deployments.putIfAbsent(new DeploymentKey(d.getSource(), d.getForgeId()), d));
        }
        return deployments.get(key);
    }

    /** Adds the deployment unless it is known: whether it was new. */
    boolean addDeployment(AnDeploymentRecord fresh) {
        DeploymentKey key = new DeploymentKey(fresh.getSource(), fresh.getForgeId());
        if (deployment(key.source(), key.forgeId()) != null) {
            return false;
        }
        fresh.changed(false); // as a row read is: what changes from here on is what later events did
        deployments.put(key, fresh);
        newDeployments.add(key);
        return true;
    }

    /** The deployment, as read or added, has changed. */
    void changed(AnDeploymentRecord deployment) {
        deployment.changed(false);
        DeploymentKey key = new DeploymentKey(deployment.getSource(), deployment.getForgeId());
        if (!newDeployments.contains(key)) {
            changedDeployments.add(key);
        }
    }

    /** The latest production deployment finished at or before the time: the one an incident then is blamed on. */
    AnDeploymentRecord latestDeploymentAtOrBefore(Instant at) {
        writeChangedDeployments();
        AnDeploymentRecord latest = store.latestDeploymentAtOrBefore(repo, at);
        if (latest != null) {
            latest = Objects.requireNonNullElse(deployments.get(new DeploymentKey(latest.getSource(), latest.getForgeId())), latest);
        }
        Comparator<AnDeploymentRecord> order = Comparator.comparing((AnDeploymentRecord d) -> d.getFinishedAt().toInstant())
                .thenComparing(AnDeploymentRecord::getSource).thenComparing(AnDeploymentRecord::getForgeId);
        for (DeploymentKey key : newDeployments) {
            AnDeploymentRecord d = deployments.get(key);
            if (d.getProduction() && d.getFinishedAt() != null && !d.getFinishedAt().toInstant().isAfter(at)
                    && (latest == null || order.compare(d, latest) > 0)) {
                latest = d;
            }
        }
        return latest;
    }

    private void writeChangedDeployments() {
        if (!changedDeployments.isEmpty()) {
            store.writeDeployments(List.of(), changedDeployments.stream().map(deployments::get).toList());
            changedDeployments.clear();
        }
    }

    AnIncidentRecord incident(long number) {
        // An incident incidentsFrom read is here already, as the batch has it.
        if (incidentsRead.add(number) && !incidents.containsKey(number)) {
            AnIncidentRecord stored = store.lockIncident(repo, number);
            if (stored != null) {
                incidents.putIfAbsent(number, stored);
            }
        }
        return incidents.get(number);
    }

    /** The incident's row was created. */
    void added(AnIncidentRecord incident) {
        incidents.put(incident.getNumber(), incident);
    }

    /** The incidents created at or after the time, in order of their number. */
    List<AnIncidentRecord> incidentsFrom(Instant from) {
        if (incidentsReadFrom == null || from.isBefore(incidentsReadFrom)) {
            store.lockIncidents(repo, List.of(), from).forEach(i -> incidents.putIfAbsent(i.getNumber(), i));
            incidentsReadFrom = from;
        }
        // Every stored incident created from then on was read; creation times only move earlier.
        return incidents.values().stream().filter(i -> !i.getCreatedAt().toInstant().isBefore(from))
                .sorted(Comparator.comparingLong(AnIncidentRecord::getNumber)).toList();
    }

    // Writing ----------------------------------------------------------------------------------------------

    /** Writes what the batch changed; the tally is left for the caller. */
    void flush() {
        store.writeDeployments(newDeployments.stream().map(deployments::get).toList(), List.of());
        writeChangedDeployments();
        List<PullRequestFact> inserts = new ArrayList<>();
        List<PullRequestFact> updates = new ArrayList<>();
        pullRequests.values().stream().filter(p -> p.now != null && !p.now.equals(p.stored))
                .sorted(Comparator.comparingLong(p -> p.now.number()))
                .forEach(p -> (p.stored == null ? inserts : updates).add(p.now));
        store.writePullRequests(inserts, updates);
        store.insertResponses(repo, newResponses);
        List<ReviewerFact> newReviewers = new ArrayList<>();
        List<ReviewerFact> changedReviewers = new ArrayList<>();
        reviewers.values().stream().filter(p -> !Objects.equals(p.now, p.stored))
                .forEach(p -> (p.stored == null ? newReviewers : changedReviewers).add(p.now));
        store.writeReviewers(newReviewers, changedReviewers);
        store.insertCommits(newCommits);
        newFirstCommits.entrySet().removeIf(e -> firstCommitsRead.contains(e.getKey())
                && storedFirstCommits.get(e.getKey()) != null && !e.getValue().isBefore(storedFirstCommits.get(e.getKey())));
        store.firstCommitsAt(repo, newFirstCommits);
    }
}
