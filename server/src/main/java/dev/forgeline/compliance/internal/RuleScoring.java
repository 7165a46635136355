package dev.forgeline.compliance.internal;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.forgeline.compliance.Rule;
import dev.forgeline.compliance.internal.TeamFacts.Commit;
import dev.forgeline.compliance.internal.TeamFacts.Issue;
import dev.forgeline.compliance.internal.TeamFacts.MergeRequest;
import dev.forgeline.compliance.internal.TeamFacts.Pipeline;
import dev.forgeline.compliance.internal.TeamFacts.Repository;
import dev.forgeline.compliance.internal.TeamFacts.Review;

/**
 * The thirteen course rules as pure functions of a team's facts, its roster and the period scored. Each formula is
 * written down in docs/metrics.md ("Course compliance"); the numbers here are the ones named there.
 */
final class RuleScoring {

    /** "#12", "group/project#12", "closes #12", a Jira-style key "ABC-12", or a link to an issue. */
    static final Pattern ISSUE_REFERENCE = Pattern.compile(
            "(?:^|[\\s(\\[,;:])(?:[\\w.-]+/[\\w.-]+)?#\\d+\\b|\\b[A-Z][A-Z0-9]+-\\d+\\b|/issues/\\d+", Pattern.MULTILINE);
    static final Pattern DOCS = Pattern.compile("\\b(readme|docs?|document(s|ed|ation)?|changelog|wiki|guide)\\b",
            Pattern.CASE_INSENSITIVE);
    static final int SUBJECT_MIN = 10;
    static final int SUBJECT_MAX = 72;
    static final int LARGE_COMMIT_LINES = 400;
    static final int WEEKS_PER_DOCS_CHANGE = 4;
    /** R12: up to this share of the commits on one day costs nothing. */
    static final double CALM_DAY_SHARE = 0.2;

    private RuleScoring() {
    }

    static List<RuleScore> score(TeamFacts facts, Roster roster, Period period) {
        Scope scope = new Scope(facts, roster, period);
        return List.of(r01(scope), r02(scope), r03(scope), r04(scope), r05(scope), r06(scope), r07(scope), r08(scope),
                r09(scope), r10(scope), r11(scope), r12(scope), r13(scope));
    }

    /** The facts that fall in the period; merge commits are left out of the per-commit rules. */
    record Scope(TeamFacts facts, Roster roster, Period period, List<Commit> commits, List<Commit> work,
                 List<MergeRequest> mergeRequests, List<Issue> issues, List<Pipeline> pipelines, List<Review> reviews) {

        Scope(TeamFacts facts, Roster roster, Period period) {
            this(facts, roster, period,
                    facts.commits().stream().filter(c -> period.contains(c.authoredAt()))
                            .sorted(Comparator.comparing(Commit::authoredAt)).toList(),
                    facts.commits().stream().filter(c -> period.contains(c.authoredAt()) && !c.isMerge())
                            .sorted(Comparator.comparing(Commit::authoredAt)).toList(),
                    facts.mergeRequests().stream().filter(m -> period.contains(m.createdAt()))
                            .sorted(Comparator.comparing(MergeRequest::createdAt)).toList(),
                    facts.issues().stream().filter(i -> period.contains(i.createdAt()))
                            .sorted(Comparator.comparing(Issue::createdAt)).toList(),
                    facts.pipelines().stream().filter(p -> period.contains(p.createdAt()))
                            .sorted(Comparator.comparing(Pipeline::createdAt)).toList(),
                    facts.reviews());
        }

        Repository repository(long id) {
            return facts.repositories().getOrDefault(id, new Repository(id, null, null, null, null));
        }

        Evidence commit(Commit c, String note) {
            return new Evidence("commit", c.shortSha(), repository(c.repositoryId()).link("commit/" + c.sha(), "commit/" + c.sha()), note);
        }

        Evidence mergeRequest(MergeRequest m, String note) {
            Repository r = repository(m.repositoryId());
            return new Evidence("merge_request", ("gitlab".equals(r.provider()) ? "!" : "#") + m.number(),
                    r.link("merge_requests/" + m.number(), "pull/" + m.number()), note);
        }

        Evidence issue(Issue i, String note) {
            return new Evidence("issue", "#" + i.number(), repository(i.repositoryId()).link("issues/" + i.number(), "issues/" + i.number()), note);
        }

        Evidence pipeline(Pipeline p, String note) {
            return new Evidence("pipeline", "#" + p.forgeId(), repository(p.repositoryId()).link("pipelines/" + p.forgeId(),
                    "actions/runs/" + p.forgeId()), note);
        }

        Evidence week(int week, String note) {
            return new Evidence("week", LocalDate.ofInstant(period.weekStart(week), ZoneOffset.UTC).toString(), null, note);
        }

        /** Reviews and comments on a merge request by someone other than its author. */
        boolean reviewedByOthers(MergeRequest m) {
            return reviews.stream().anyMatch(r -> r.repositoryId() == m.repositoryId() && r.number() == m.number()
                    && r.reviewer() != null && !r.reviewer().equalsIgnoreCase(m.author() == null ? "" : m.author()));
        }
    }

    /** R01: share of the period's weeks with at least one commit. */
    static RuleScore r01(Scope s) {
        int weeks = s.period().weeks();
        Set<Integer> active = new TreeSet<>();
        s.commits().forEach(c -> active.add(s.period().week(c.authoredAt())));
        List<Evidence> quiet = new ArrayList<>();
        for (int week = 0; week < weeks; week++) {
            if (!active.contains(week)) {
                quiet.add(s.week(week, "no commits this week"));
            }
        }
        return RuleScore.of(Rule.R01, (double) active.size() / weeks, active.size() + " of " + weeks + " weeks with commits", quiet);
    }

    /** R02: 1 − the normalised Gini coefficient of commits per member (0 when one member did everything). */
    static RuleScore r02(Scope s) {
        if (s.roster().size() == 0) {
            return RuleScore.unknown(Rule.R02, "the team has no members");
        }
        Map<Long, Integer> counts = new LinkedHashMap<>();
        s.roster().members().keySet().stream().sorted().forEach(member -> counts.put(member, 0));
        s.work().forEach(c -> s.roster().authorOf(c).ifPresent(member -> counts.merge(member, 1, Integer::sum)));
        List<Evidence> perMember = counts.entrySet().stream()
                .map(e -> new Evidence("member", s.roster().name(e.getKey()), null, e.getValue() + " commits")).toList();
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            return RuleScore.of(Rule.R02, 0, "no commits by team members", perMember);
        }
        int n = counts.size();
        if (n == 1) {
            return RuleScore.of(Rule.R02, 1, "one member", perMember);
        }
        double gini = gini(counts.values().stream().mapToInt(Integer::intValue).toArray());
        return RuleScore.of(Rule.R02, 1 - gini * n / (n - 1), String.format(Locale.ROOT, "Gini %.2f over %d members", gini, n), perMember);
    }

    static double gini(int[] values) {
        double sum = 0;
        double differences = 0;
        for (int a : values) {
            sum += a;
            for (int b : values) {
                differences += Math.abs(a - b);
            }
        }
        return sum == 0 ? 0 : differences / (2.0 * values.length * sum);
    }

    /** R03: 60 % issues opened (one a week is full marks) + 40 % share of them closed. */
    static RuleScore r03(Scope s) {
        int weeks = s.period().weeks();
        int opened = s.issues().size();
        long closed = s.issues().stream().filter(i -> i.closedAt() != null && !i.closedAt().isAfter(s.period().to())).count();
        double closedShare = opened == 0 ? 0 : (double) closed / opened;
        List<Evidence> evidence = s.issues().stream().map(i -> s.issue(i, i.closedAt() == null ? "open" : "closed")).toList();
        return RuleScore.of(Rule.R03, 0.6 * Math.min(1, (double) opened / weeks) + 0.4 * closedShare,
                opened + " issues opened in " + weeks + " weeks, " + closed + " closed", evidence);
    }

    /** R04: share of (non-merge) commits whose message references an issue. */
    static RuleScore r04(Scope s) {
        if (s.work().isEmpty()) {
            return RuleScore.unknown(Rule.R04, "no commits");
        }
        List<Commit> unlinked = s.work().stream().filter(c -> c.message() == null || !ISSUE_REFERENCE.matcher(c.message()).find()).toList();
        int linked = s.work().size() - unlinked.size();
        return RuleScore.of(Rule.R04, (double) linked / s.work().size(), linked + " of " + s.work().size() + " commits reference an issue",
                unlinked.stream().map(c -> s.commit(c, "no issue reference: " + c.subject())).toList());
    }

    /** R05: 50 % merged merge requests (one a week is full marks) + 50 % share of them reviewed by someone else. */
    static RuleScore r05(Scope s) {
        int weeks = s.period().weeks();
        List<MergeRequest> merged = s.mergeRequests().stream().filter(MergeRequest::merged).toList();
        List<MergeRequest> unreviewed = merged.stream().filter(m -> !s.reviewedByOthers(m)).toList();
        int reviewed = merged.size() - unreviewed.size();
        double reviewedShare = merged.isEmpty() ? 0 : (double) reviewed / merged.size();
        return RuleScore.of(Rule.R05, 0.5 * Math.min(1, (double) merged.size() / weeks) + 0.5 * reviewedShare,
                merged.size() + " merge requests merged in " + weeks + " weeks, " + reviewed + " reviewed by someone else",
                unreviewed.stream().map(m -> s.mergeRequest(m, "merged without review")).toList());
    }

    /** R06: share of the weeks with commits in which a pipeline ran too. */
    static RuleScore r06(Scope s) {
        Set<Integer> commitWeeks = new TreeSet<>();
        s.commits().forEach(c -> commitWeeks.add(s.period().week(c.authoredAt())));
        if (commitWeeks.isEmpty()) {
            return RuleScore.unknown(Rule.R06, "no commits");
        }
        Set<Integer> pipelineWeeks = new HashSet<>();
        s.pipelines().forEach(p -> pipelineWeeks.add(s.period().week(p.createdAt())));
        List<Evidence> without = commitWeeks.stream().filter(w -> !pipelineWeeks.contains(w))
                .map(w -> s.week(w, "commits but no pipeline")).toList();
        int covered = commitWeeks.size() - without.size();
        return RuleScore.of(Rule.R06, (double) covered / commitWeeks.size(),
                covered + " of " + commitWeeks.size() + " weeks with commits ran a pipeline", without);
    }

    /** R07: successful ÷ finished (succeeded or failed) pipelines; canceled and skipped ones do not count. */
    static RuleScore r07(Scope s) {
        List<Pipeline> finished = s.pipelines().stream().filter(p -> p.succeeded() || p.failed()).toList();
        if (finished.isEmpty()) {
            return RuleScore.unknown(Rule.R07, "no finished pipelines");
        }
        List<Pipeline> failed = finished.stream().filter(Pipeline::failed).toList();
        int succeeded = finished.size() - failed.size();
        return RuleScore.of(Rule.R07, (double) succeeded / finished.size(), succeeded + " of " + finished.size() + " pipelines succeeded",
                failed.stream().map(p -> s.pipeline(p, "failed on " + p.ref())).toList());
    }

    /**
     * R08: documentation changes, one every 4 weeks being full marks. A change is a commit touching a documentation
     * file; where the forge did not list the files, a commit whose message names docs.
     */
    static RuleScore r08(Scope s) {
        int expected = (s.period().weeks() + WEEKS_PER_DOCS_CHANGE - 1) / WEEKS_PER_DOCS_CHANGE;
        List<Commit> docs = s.work().stream().filter(RuleScoring::documentation).toList();
        return RuleScore.of(Rule.R08, Math.min(1, (double) docs.size() / expected),
                docs.size() + " documentation commits, " + expected + " expected",
                docs.stream().map(c -> s.commit(c, "documentation: " + c.subject())).toList());
    }

    static boolean documentation(Commit c) {
        if (c.filesChanged() != null) {
            return Boolean.TRUE.equals(c.touchesDocs());
        }
        return c.message() != null && DOCS.matcher(c.message()).find();
    }

    /** R09: share of (non-merge) commits first pushed to a branch other than the repository's default branch. */
    static RuleScore r09(Scope s) {
        List<Commit> known = s.work().stream().filter(c -> c.firstRef() != null).toList();
        if (known.isEmpty()) {
            return RuleScore.unknown(Rule.R09, "no pushed commits");
        }
        List<Commit> direct = known.stream().filter(c -> isDefaultBranch(s.repository(c.repositoryId()), c.firstRef())).toList();
        int onBranches = known.size() - direct.size();
        return RuleScore.of(Rule.R09, (double) onBranches / known.size(), onBranches + " of " + known.size() + " commits made on a branch",
                direct.stream().map(c -> s.commit(c, "pushed straight to " + c.firstRef())).toList());
    }

    static boolean isDefaultBranch(Repository repository, String branch) {
        return repository.defaultBranch() != null ? repository.defaultBranch().equals(branch)
                : branch.equals("main") || branch.equals("master");
    }

    /** R10: share of (non-merge) commits whose subject line is 10–72 characters, has two words or more and is not "WIP". */
    static RuleScore r10(Scope s) {
        if (s.work().isEmpty()) {
            return RuleScore.unknown(Rule.R10, "no commits");
        }
        List<Commit> poor = s.work().stream().filter(c -> !goodSubject(c.subject())).toList();
        int good = s.work().size() - poor.size();
        return RuleScore.of(Rule.R10, (double) good / s.work().size(), good + " of " + s.work().size() + " commit messages are descriptive",
                poor.stream().map(c -> s.commit(c, "message: " + c.subject())).toList());
    }

    static boolean goodSubject(String subject) {
        String lower = subject.toLowerCase(Locale.ROOT);
        return subject.length() >= SUBJECT_MIN && subject.length() <= SUBJECT_MAX && subject.split("\\s+").length >= 2
                && !lower.startsWith("wip") && !lower.startsWith("[wip]");
    }

    /** R11: share of (non-merge) commits, among those whose size the forge reported, that change 1 to 400 lines. */
    static RuleScore r11(Scope s) {
        List<Commit> known = s.work().stream().filter(c -> c.lines() != null).toList();
        if (known.isEmpty()) {
            return RuleScore.unknown(Rule.R11, "the forge reported no commit sizes");
        }
        List<Commit> off = known.stream().filter(c -> c.lines() < 1 || c.lines() > LARGE_COMMIT_LINES).toList();
        int good = known.size() - off.size();
        return RuleScore.of(Rule.R11, (double) good / known.size(), good + " of " + known.size() + " commits change 1–" + LARGE_COMMIT_LINES + " lines",
                off.stream().map(c -> s.commit(c, c.lines() + " lines changed")).toList());
    }

    /** R12: 1 − (busiest day's share of commits − 0.2) ÷ 0.8: no penalty up to a fifth of the work on one day. */
    static RuleScore r12(Scope s) {
        if (s.work().isEmpty()) {
            return RuleScore.unknown(Rule.R12, "no commits");
        }
        Map<LocalDate, Integer> perDay = new TreeMap<>();
        s.work().forEach(c -> perDay.merge(LocalDate.ofInstant(c.authoredAt(), ZoneOffset.UTC), 1, Integer::sum));
        Map.Entry<LocalDate, Integer> busiest = perDay.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        double share = (double) busiest.getValue() / s.work().size();
        return RuleScore.of(Rule.R12, 1 - Math.max(0, share - CALM_DAY_SHARE) / (1 - CALM_DAY_SHARE),
                String.format(Locale.ROOT, "%d active days; busiest day has %.0f %% of the commits", perDay.size(), 100 * share),
                List.of(new Evidence("day", busiest.getKey().toString(), null, busiest.getValue() + " of " + s.work().size() + " commits")));
    }

    /** R13: 50 % share of members active (commit, issue, merge request or review) + 50 % share reviewing someone else's work. */
    static RuleScore r13(Scope s) {
        Roster roster = s.roster();
        if (roster.size() == 0) {
            return RuleScore.unknown(Rule.R13, "the team has no members");
        }
        Set<Long> active = new HashSet<>();
        s.commits().forEach(c -> roster.authorOf(c).ifPresent(active::add));
        s.issues().forEach(i -> roster.who(i.author()).ifPresent(active::add));
        s.mergeRequests().forEach(m -> roster.who(m.author()).ifPresent(active::add));
        Map<String, MergeRequest> byKey = new HashMap<>();
        s.facts().mergeRequests().forEach(m -> byKey.put(m.repositoryId() + "/" + m.number(), m));
        Set<Long> reviewing = new HashSet<>();
        for (Review r : s.reviews()) {
            if (!s.period().contains(r.at())) {
                continue;
            }
            roster.who(r.reviewer()).ifPresent(member -> {
                active.add(member);
                MergeRequest m = byKey.get(r.repositoryId() + "/" + r.number());
                if (m == null || m.author() == null || !m.author().equalsIgnoreCase(r.reviewer())) {
                    reviewing.add(member);
                }
            });
        }
        List<Evidence> evidence = new ArrayList<>();
        roster.members().keySet().stream().sorted().forEach(member -> {
            if (!active.contains(member)) {
                evidence.add(new Evidence("member", roster.name(member), null, "no activity"));
            } else if (!reviewing.contains(member)) {
                evidence.add(new Evidence("member", roster.name(member), null, "reviewed no one else's work"));
            }
        });
        int n = roster.size();
        return RuleScore.of(Rule.R13, 0.5 * active.size() / n + 0.5 * reviewing.size() / n,
                active.size() + " of " + n + " members active, " + reviewing.size() + " reviewing others", evidence);
    }
}
