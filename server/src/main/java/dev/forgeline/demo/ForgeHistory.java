package dev.forgeline.demo;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A realistic forge history as the webhook deliveries a forge would send: people in teams working in
 * repositories, pushing branches, opening pull/merge requests, reviewing, commenting, merging, running
 * pipelines, deploying to production, and now and then raising an incident. The same seed gives the same
 * history. Deliveries come out in time order, lazily, so a history of millions of events needs little memory.
 */
public final class ForgeHistory {

    /**
     * What to generate.
     *
     * @param provider             github, gitea (GitHub's payload shapes) or gitlab
     * @param pullRequestsPerWeek  per repository
     * @param deployingShare       share of repositories that deploy to production after each green merge
     */
    public record Shape(String provider, String owner, int repositories, int people, int teams, LocalDate from, int days,
                        double pullRequestsPerWeek, double deployingShare, long seed) {

        public Shape {
            if (!List.of("github", "gitlab", "gitea").contains(provider)) {
                throw new IllegalArgumentException("provider must be github, gitlab or gitea");
            }
            if (repositories < 1 || people < 2 || teams < 1 || teams > repositories || days < 1 || pullRequestsPerWeek <= 0) {
                throw new IllegalArgumentException("a history needs a repository per team, two people and a day at least");
            }
        }

        /** Months of a few teams' work ending today: what the demo shows. */
        public static Shape demo(String provider, String owner, int teams, long seed) {
            return new Shape(provider, owner, teams * 2, teams * 4, teams, LocalDate.now(ZoneOffset.UTC).minusDays(120), 120, 4, 0.5, seed);
        }
    }

    /** One delivery: the event type header (X-GitHub-Event, X-Gitlab-Event …), a unique delivery id, and the body. */
    public record Delivery(String event, String deliveryId, Instant at, byte[] body) {
    }

    /** Someone who works in the history, with the forge login and the commit email their work carries. */
    public record Person(String login, String name, String email, long forgeId, int team) {
    }

    /** A repository of the history and the team that works in it. */
    public record Repository(long forgeId, String fullName, int team, boolean deploys) {
    }

    private final Shape shape;
    private final List<Person> people = new ArrayList<>();
    private final List<Repository> repositories = new ArrayList<>();

    public ForgeHistory(Shape shape) {
        this.shape = shape;
        SplittableRandom random = new SplittableRandom(shape.seed());
        for (int i = 0; i < shape.people(); i++) {
            String first = FIRST_NAMES[i % FIRST_NAMES.length];
            String last = LAST_NAMES[(i / FIRST_NAMES.length + i) % LAST_NAMES.length];
            String login = (first + "-" + last).toLowerCase(Locale.ROOT) + (i >= FIRST_NAMES.length * LAST_NAMES.length ? "-" + i : "");
            people.add(new Person(login, first + " " + last, login + "@" + shape.owner() + ".example", 7_000_000L + shape.seed() % 1000 * 10_000 + i,
                    i % shape.teams()));
        }
        for (int i = 0; i < shape.repositories(); i++) {
            int team = i % shape.teams();
            String name = REPOSITORY_NAMES[i % REPOSITORY_NAMES.length] + (i >= REPOSITORY_NAMES.length ? "-" + i : "");
            repositories.add(new Repository(90_000_000L + shape.seed() % 1000 * 10_000 + i,
                    shape.owner() + "/" + (shape.teams() > 1 ? "team-" + (team + 1) + "-" : "") + name, team,
                    random.nextDouble() < shape.deployingShare()));
        }
    }

    public Shape shape() {
        return shape;
    }

    public List<Person> people() {
        return List.copyOf(people);
    }

    public List<Repository> repositories() {
        return List.copyOf(repositories);
    }

    /** The whole history in time order; each call starts it afresh, the same every time. */
    public Stream<Delivery> deliveries() {
        Iterator<Delivery> iterator = new Timeline();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Works day by day: each day plans the work that starts that day (whose events may fall days later) and
     * hands out every planned event due before the day ends. A queue ordered by time keeps the output ordered.
     */
    private final class Timeline implements Iterator<Delivery> {

        private final SplittableRandom random = new SplittableRandom(shape.seed() * 31 + 7);
        private final PriorityQueue<Planned> planned = new PriorityQueue<>();
        private final PayloadWriter payloads = new PayloadWriter(shape.provider(), shape.owner());
        private final Instant end;
        private final long[] pullRequestNumbers = new long[repositories.size()];
        private final long[] issueNumbers = new long[repositories.size()];
        private final List<List<Person>> teams = new ArrayList<>();
        private int day;
        private long sequence;

        Timeline() {
            end = shape.from().plusDays(shape.days()).atStartOfDay().toInstant(ZoneOffset.UTC);
            for (int t = 0; t < shape.teams(); t++) {
                int team = t;
                teams.add(people.stream().filter(p -> p.team() == team).toList());
            }
        }

        @Override
        public boolean hasNext() {
            while (planned.isEmpty() || planned.peek().at().isAfter(dayEnd())) {
                if (day >= shape.days()) {
                    return !planned.isEmpty() && planned.peek().at().isBefore(end);
                }
                planDay(shape.from().plusDays(day++));
            }
            return true;
        }

        @Override
        public Delivery next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Planned next = planned.poll();
            return new Delivery(next.event(), next.deliveryId(), next.at(), next.body());
        }

        private Instant dayEnd() {
            return shape.from().plusDays(day).atStartOfDay().toInstant(ZoneOffset.UTC);
        }

        private void planDay(LocalDate date) {
            boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
            double perDay = shape.pullRequestsPerWeek() / 5 * (weekend ? 0.1 : 1);
            for (int r = 0; r < repositories.size(); r++) {
                Repository repository = repositories.get(r);
                List<Person> team = teams.get(repository.team());
                for (int n = poisson(perDay); n > 0; n--) {
                    planPullRequest(r, repository, team, workingTime(date));
                }
                if (random.nextDouble() < perDay / 3) {
                    planIssue(r, repository, team, workingTime(date), false);
                }
            }
        }

        /** The whole life of one pull request, from its first commit to its deployment. */
        private void planPullRequest(int r, Repository repository, List<Person> team, Instant opened) {
            Person author = pick(team);
            long number = ++pullRequestNumbers[r] + issueNumbers[r];
            String branch = "feature/" + number + "-" + WORDS[random.nextInt(WORDS.length)];
            int commitCount = 1 + random.nextInt(4);
            // Pushed shortly before the pull request opens (so deliveries stay in time order day by day); the
            // commits were authored over the coding time before that.
            Instant pushed = opened.minus(Duration.ofMinutes(1 + random.nextInt(50)));
            Instant firstCommit = pushed.minus(hours(0.3 + random.nextDouble() * 30));
            List<PayloadWriter.Commit> commits = new ArrayList<>();
            long step = Duration.between(firstCommit, pushed).toSeconds() / commitCount;
            for (int c = 0; c < commitCount; c++) {
                commits.add(new PayloadWriter.Commit(sha(), message(r), author, firstCommit.plusSeconds(step * c), 5 + random.nextInt(200),
                        random.nextInt(60)));
            }
            plan(pushed, payloads.push(repository, "refs/heads/" + branch, author, commits, pushed));
            planPipeline(repository, branch, commits.getLast().sha(), author, pushed, 0.85);

            int additions = commits.stream().mapToInt(PayloadWriter.Commit::additions).sum();
            int deletions = commits.stream().mapToInt(PayloadWriter.Commit::deletions).sum();
            PayloadWriter.PullRequest pr = new PayloadWriter.PullRequest(number, "Change " + number + ": " + WORDS[random.nextInt(WORDS.length)],
                    author, branch, opened, additions, deletions, commits.size());
            plan(opened, payloads.pullRequest(repository, pr, "opened", author, opened, null, false));

            // Pickup and review: most get a review by a teammate within hours, some never, a few only by their author.
            Instant reviewed = null;
            double fate = random.nextDouble();
            Person reviewer = pickOther(team, author);
            if (fate < 0.80 && reviewer != null) {
                Instant commented = opened.plus(hours(lognormal(2.5)));
                if (random.nextDouble() < 0.5) {
                    plan(commented, payloads.comment(repository, pr, reviewer, commented, sequence++));
                }
                reviewed = commented.plus(hours(random.nextDouble() * 3));
                boolean approve = random.nextDouble() < 0.8;
                plan(reviewed, payloads.review(repository, pr, reviewer, approve ? "approved" : "changes_requested", reviewed, sequence++));
                if (!approve) {
                    reviewed = reviewed.plus(hours(lognormal(4)));
                    plan(reviewed, payloads.review(repository, pr, reviewer, "approved", reviewed, sequence++));
                }
            } else if (fate < 0.85) {
                Instant commented = opened.plus(hours(random.nextDouble() * 2));
                plan(commented, payloads.comment(repository, pr, author, commented, sequence++));
            }

            double outcome = random.nextDouble();
            if (outcome < 0.05) {
                return; // still open
            }
            Instant closed = (reviewed != null ? reviewed : opened).plus(hours(lognormal(reviewed != null ? 3 : 10)));
            if (outcome < 0.13) {
                plan(closed, payloads.pullRequest(repository, pr, "closed", pickOther(team, null), closed, null, false));
                return;
            }
            String mergeSha = sha();
            Person merger = reviewer != null && random.nextDouble() < 0.4 ? reviewer : author;
            plan(closed, payloads.pullRequest(repository, pr, "closed", merger, closed, mergeSha, true));
            List<PayloadWriter.Commit> merge = List.of(new PayloadWriter.Commit(mergeSha, "Merge pull request #" + number + " from " + branch,
                    merger, closed, 0, 0));
            Instant mainPushed = closed.plusSeconds(5);
            plan(mainPushed, payloads.push(repository, "refs/heads/main", merger, merge, mainPushed));
            Instant green = planPipeline(repository, "main", mergeSha, merger, mainPushed, 0.9);
            if (repository.deploys() && green != null) {
                Instant created = green.plus(Duration.ofMinutes(1 + random.nextInt(10)));
                Instant finished = created.plus(Duration.ofMinutes(2 + random.nextInt(8)));
                long deployment = 500_000_000L + sequence++;
                boolean succeeds = random.nextDouble() < 0.95;
                plan(created, payloads.deployment(repository, deployment, mergeSha, merger, created, null, null));
                plan(finished, payloads.deployment(repository, deployment, mergeSha, merger, created, succeeds ? "success" : "failure", finished));
                if (succeeds && random.nextDouble() < 0.05) {
                    planIssue((int) repositories.indexOf(repository), repository, teams.get(repository.team()),
                            finished.plus(hours(1 + random.nextDouble() * 20)), true);
                }
            }
        }

        /** @return when it finished, if it succeeded */
        private Instant planPipeline(Repository repository, String ref, String sha, Person actor, Instant pushed, double successRate) {
            Instant started = pushed.plusSeconds(10 + random.nextInt(60));
            Instant finished = started.plus(Duration.ofMinutes(3 + random.nextInt(15)));
            boolean success = random.nextDouble() < successRate;
            plan(finished, payloads.pipeline(repository, 300_000_000L + sequence++, ref, sha, actor, started, finished,
                    success ? "success" : "failure"));
            return success ? finished : null;
        }

        private void planIssue(int r, Repository repository, List<Person> team, Instant opened, boolean incident) {
            Person author = pick(team);
            long number = ++issueNumbers[r] + pullRequestNumbers[r];
            List<String> labels = incident ? List.of("incident", "bug") : List.of(random.nextDouble() < 0.5 ? "bug" : "feature");
            String title = (incident ? "Production incident: " : "") + WORDS[random.nextInt(WORDS.length)] + " " + number;
            plan(opened, payloads.issue(repository, number, title, author, labels, opened, null));
            if (incident || random.nextDouble() < 0.7) {
                Instant closed = opened.plus(hours(incident ? 0.5 + random.nextDouble() * 30 : lognormal(48)));
                plan(closed, payloads.issue(repository, number, title, pick(team), labels, opened, closed));
            }
        }

        private void plan(Instant at, PayloadWriter.Payload payload) {
            planned.add(new Planned(at, sequence++, payload.event(), deliveryId(), payload.body()));
        }

        private String deliveryId() {
            return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        }

        private Instant workingTime(LocalDate date) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC).plus(hours(7 + random.nextDouble() * 10));
        }

        private int poisson(double mean) {
            double limit = Math.exp(-mean);
            double product = random.nextDouble();
            int count = 0;
            while (product > limit) {
                product *= random.nextDouble();
                count++;
            }
            return count;
        }

        /** Waiting times are long-tailed: a few take days, most take hours. */
        private double lognormal(double medianHours) {
            double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            return Math.min(medianHours * Math.exp(0.9 * gaussian), 24 * 14);
        }

        private Person pick(List<Person> team) {
            return team.get(random.nextInt(team.size()));
        }

        private Person pickOther(List<Person> team, Person not) {
            if (team.size() < 2 && not != null) {
                return null;
            }
            Person other;
            do {
                other = pick(team);
            } while (other.equals(not));
            return other;
        }

        private String sha() {
            return String.format("%016x%016x%08x", random.nextLong(), random.nextLong(), random.nextInt());
        }

        private String message(int r) {
            String verb = VERBS[random.nextInt(VERBS.length)];
            String text = verb + " " + WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
            long issues = issueNumbers[r];
            return issues > 0 && random.nextDouble() < 0.4 ? text + " (#" + (1 + random.nextLong(issues + pullRequestNumbers[r])) + ")" : text;
        }

        private static Duration hours(double hours) {
            return Duration.ofSeconds((long) (hours * 3600));
        }
    }

    private record Planned(Instant at, long sequence, String event, String deliveryId, byte[] body) implements Comparable<Planned> {
        @Override
        public int compareTo(Planned other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private static final String[] FIRST_NAMES = {"Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances",
            "Guido", "Radia", "James", "Katherine", "Niklaus", "Hedy", "Bjarne", "Annie", "Edsger", "Adele", "Tim", "Joan"};
    private static final String[] LAST_NAMES = {"Lovelace", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie",
            "Allen", "Rossum", "Perlman", "Gosling", "Johnson", "Wirth", "Lamarr", "Stroustrup", "Easley"};
    private static final String[] REPOSITORY_NAMES = {"api", "web", "billing", "search", "mobile", "infra", "auth", "reports",
            "notifications", "gateway"};
    private static final String[] VERBS = {"Add", "Fix", "Refactor", "Update", "Remove", "Improve", "Document", "Test"};
    private static final String[] WORDS = {"login", "cache", "invoice", "search", "timeout", "retry", "pagination", "export",
            "webhook", "dashboard", "migration", "logging", "metrics", "signup", "checkout", "profile", "upload", "billing"};
}
