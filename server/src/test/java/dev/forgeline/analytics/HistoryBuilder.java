package dev.forgeline.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.forgeline.analytics.GithubDeliveries.Commit;
import dev.forgeline.analytics.GithubDeliveries.Delivery;

/**
 * A long, realistic and untidy history of one repository: pull requests with commits, reviews (some by their
 * author), comments (some before the PR opened), merges and closes, production and staging deployments,
 * incidents (some before any deployment); then shuffled, with some deliveries repeated.
 */
public final class HistoryBuilder {

    public static final List<String> PEOPLE = List.of("ana", "ben", "cai", "dee", "eve", "fay");

    private HistoryBuilder() {
    }

    public static List<Delivery> history(GithubDeliveries repo, long seed, int pullRequests, Instant start) {
        return history(repo, seed, pullRequests, start, PEOPLE);
    }

    /** The same history with the forge logins given (one for each of {@link #PEOPLE}), e.g. of a test's own. */
    public static List<Delivery> history(GithubDeliveries repo, long seed, int pullRequests, Instant start, List<String> people) {
        if (people.size() != PEOPLE.size()) {
            throw new IllegalArgumentException("give " + PEOPLE.size() + " logins");
        }
        Random random = new Random(seed);
        List<Delivery> out = new ArrayList<>();
        long ids = seed * 100_000;
        for (int n = 1; n <= pullRequests; n++) {
            String author = people.get(random.nextInt(people.size()));
            Instant created = start.plus(Duration.ofMinutes(n * 420L + random.nextInt(300)));
            String branch = "feature-" + n;
            List<Commit> commits = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int c = 0; c < count; c++) {
                // Some commits are authored after the PR opened: coding time is then clamped to zero.
                Instant authored = created.minus(Duration.ofMinutes(random.nextInt(3000) - 600));
                commits.add(new Commit(String.format("%040x", seed * 1_000_000 + n * 10L + c), author, authored));
            }
            out.add(repo.push(branch, commits));
            int additions = random.nextInt(400);
            int deletions = random.nextInt(100);
            out.add(repo.pullRequest("opened", n, author, "open", created, created, null, branch, author, additions, deletions));
            int reviews = random.nextInt(3);
            for (int r = 0; r < reviews; r++) {
                String reviewer = people.get(random.nextInt(people.size()));
                out.add(repo.review(++ids, n, author, created, branch, reviewer, created.plus(Duration.ofMinutes(30 + random.nextInt(2000)))));
            }
            int comments = random.nextInt(3);
            for (int c = 0; c < comments; c++) {
                String who = people.get(random.nextInt(people.size()));
                out.add(repo.comment(++ids, n, who, created.plus(Duration.ofMinutes(random.nextInt(2400) - 120))));
            }
            int fate = random.nextInt(10);
            if (fate < 7) {
                Instant merged = created.plus(Duration.ofMinutes(60 + random.nextInt(4000)));
                String merger = random.nextBoolean() ? author : people.get(random.nextInt(people.size()));
                out.add(repo.pullRequest("closed", n, author, "merged", created, merged, merged, branch, merger, additions, deletions));
                out.add(repo.push("main", commits));
            } else if (fate < 9) {
                Instant closed = created.plus(Duration.ofMinutes(60 + random.nextInt(4000)));
                out.add(repo.pullRequest("closed", n, author, "closed", created, closed, closed, branch, author, additions, deletions));
            }
        }
        Instant end = start.plus(Duration.ofMinutes(pullRequests * 420L));
        for (Instant at = start.plus(Duration.ofHours(3 + random.nextInt(20))); at.isBefore(end);
             at = at.plus(Duration.ofMinutes(400 + random.nextInt(1500)))) {
            long id = ++ids;
            String environment = random.nextInt(4) == 0 ? "staging" : "production";
            Instant finished = at.plus(Duration.ofMinutes(5 + random.nextInt(30)));
            out.add(repo.deploymentStatus(id, environment, String.format("%040x", id), "in_progress", at, at));
            if (random.nextInt(8) != 0) {
                out.add(repo.deploymentStatus(id, environment, String.format("%040x", id), "success", at, finished));
            } else {
                out.add(repo.deploymentStatus(id, environment, String.format("%040x", id), "failure", at, finished));
            }
        }
        for (int i = 1; i <= pullRequests / 4; i++) {
            // Incidents from before the first deployment to the end, some resolved; some issues are only bugs.
            Instant created = start.plus(Duration.ofMinutes(random.nextInt((int) Duration.between(start, end).toMinutes())));
            if (i == 1) {
                created = start.plus(Duration.ofMinutes(5));
            }
            List<String> labels = random.nextInt(4) == 0 ? List.of("bug") : List.of("incident", "p1");
            Instant resolved = random.nextInt(3) == 0 ? null : created.plus(Duration.ofMinutes(30 + random.nextInt(3000)));
            out.add(repo.issue(10_000 + i, labels, created, created, null));
            if (resolved != null) {
                out.add(repo.issue(10_000 + i, labels, created, resolved, resolved));
            }
        }
        List<Delivery> repeated = new ArrayList<>(out);
        for (int i = 0; i < out.size() / 10; i++) {
            repeated.add(out.get(random.nextInt(out.size())));
        }
        Collections.shuffle(repeated, random);
        return repeated;
    }
}
