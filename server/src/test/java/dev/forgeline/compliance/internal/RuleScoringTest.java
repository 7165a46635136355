package dev.forgeline.compliance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import dev.forgeline.compliance.Rule;
import dev.forgeline.compliance.internal.TeamFacts.Commit;
import dev.forgeline.compliance.internal.TeamFacts.Issue;
import dev.forgeline.compliance.internal.TeamFacts.MergeRequest;
import dev.forgeline.compliance.internal.TeamFacts.Pipeline;
import dev.forgeline.compliance.internal.TeamFacts.Repository;
import dev.forgeline.compliance.internal.TeamFacts.Review;

/** Every rule and signal on one four-week history whose scores were worked out by hand (see the comments). */
class RuleScoringTest {

    static final Period FOUR_WEEKS = new Period(at("2026-10-05T00:00:00Z"), at("2026-11-02T00:00:00Z"));
    static final Repository REPO = new Repository(1, "gitlab", "course/team-a", "main", "https://gitlab.example/course/team-a");
    static final Roster ROSTER = Roster.of(Map.of(1L, "alice", 2L, "bob", 3L, "carol"),
            Map.of("alice", 1L, "alice@uni.example", 1L, "bob", 2L, "Bob@Uni.example", 2L, "carol", 3L));

    static Instant at(String text) {
        return Instant.parse(text);
    }

    static Commit commit(String sha, String email, String when, String message, String ref, Integer lines, Integer files) {
        return new Commit(1, sha, null, email, null, at(when), message, ref, lines, lines == null ? null : 0, files,
                files == null ? null : message.contains("README"));
    }

    /** Week 0: c1 c2 c3; week 1: nothing; week 2: c4 (merge) c5 c6; week 3: c7. Alice 4, Bob 2, Carol 0 non-merge commits. */
    static final List<Commit> COMMITS = List.of(
            commit("c1", "alice@uni.example", "2026-10-06T10:00:00Z", "Add login form #1", "feature/login", 120, 3),
            commit("c2", "alice@uni.example", "2026-10-06T15:00:00Z", "WIP", "feature/login", 30, 1),
            commit("c3", "bob@uni.example", "2026-10-08T09:00:00Z", "Write README with setup steps", "main", 40, 1),
            commit("c4", "alice@uni.example", "2026-10-20T09:00:00Z", "Merge branch 'feature/login' into 'main'", "main", null, null),
            commit("c5", "bob@uni.example", "2026-10-21T11:00:00Z", "Fix token refresh, closes #2", "fix/token", 800, 4),
            commit("c6", "alice@uni.example", "2026-10-22T11:00:00Z", "Tidy up", "main", 0, 0),
            commit("c7", "alice@uni.example", "2026-10-27T11:00:00Z", "Add tests for the login form #1", "feature/tests", 200, 2));

    static final List<MergeRequest> MERGE_REQUESTS = List.of(
            new MergeRequest(1, 1, "Login", "alice", "merged", at("2026-10-07T10:00:00Z"), at("2026-10-20T09:00:00Z"), "bob",
                    "feature/login", "main", null, null),
            new MergeRequest(1, 2, "Token", "bob", "merged", at("2026-10-21T11:30:00Z"), at("2026-10-21T12:00:00Z"), "bob",
                    "fix/token", "main", 900, 200),
            new MergeRequest(1, 3, "Tests", "alice", "open", at("2026-10-27T12:00:00Z"), null, null, "feature/tests", "main", null, null));

    static final List<Review> REVIEWS = List.of(
            new Review(1, 1, "bob", "approved", at("2026-10-19T10:00:00Z")),
            new Review(1, 1, "alice", "comment", at("2026-10-18T10:00:00Z")));

    static final List<Issue> ISSUES = List.of(
            new Issue(1, 1, "Login", "alice", at("2026-10-05T12:00:00Z"), at("2026-10-22T12:00:00Z")),
            new Issue(1, 2, "Token bug", "bob", at("2026-10-19T12:00:00Z"), at("2026-10-21T12:00:00Z")),
            new Issue(1, 3, "Busywork", "alice", at("2026-10-26T12:00:00Z"), at("2026-10-26T12:02:00Z")));

    static final List<Pipeline> PIPELINES = List.of(
            new Pipeline(1, "11", "feature/login", "c1", "success", at("2026-10-06T10:05:00Z"), at("2026-10-06T10:09:00Z")),
            new Pipeline(1, "12", "fix/token", "c5", "failed", at("2026-10-21T11:05:00Z"), at("2026-10-21T11:09:00Z")),
            new Pipeline(1, "13", "fix/token", "c5", "success", at("2026-10-21T11:20:00Z"), at("2026-10-21T11:24:00Z")),
            new Pipeline(1, "14", "main", "c6", "canceled", at("2026-10-22T11:05:00Z"), at("2026-10-22T11:06:00Z")));

    static final TeamFacts FACTS = new TeamFacts(Map.of(1L, REPO), COMMITS, MERGE_REQUESTS, REVIEWS, ISSUES, PIPELINES);

    static Map<Rule, RuleScore> scores() {
        return RuleScoring.score(FACTS, ROSTER, FOUR_WEEKS).stream().collect(Collectors.toMap(RuleScore::rule, Function.identity()));
    }

    @Test
    void everyRuleScoresTheHandComputedValue() {
        Map<Rule, Integer> expected = Map.ofEntries(
                Map.entry(Rule.R01, 75),  // 3 of 4 weeks have commits
                Map.entry(Rule.R02, 33),  // Gini of [4,2,0] = 16/36, normalised ×3/2 = 0.667
                Map.entry(Rule.R03, 85),  // 0.6 × 3/4 + 0.4 × 3/3
                Map.entry(Rule.R04, 50),  // c1 c5 c7 of 6 reference an issue
                Map.entry(Rule.R05, 50),  // 0.5 × 2/4 merged + 0.5 × 1/2 reviewed
                Map.entry(Rule.R06, 67),  // weeks 0 and 2 of {0, 2, 3} ran a pipeline
                Map.entry(Rule.R07, 67),  // 2 of 3 finished pipelines succeeded (canceled left out)
                Map.entry(Rule.R08, 100), // one docs commit (c3), one expected in 4 weeks
                Map.entry(Rule.R09, 67),  // c3 and c6 went straight to main: 4 of 6
                Map.entry(Rule.R10, 67),  // "WIP" and "Tidy up" are poor: 4 of 6
                Map.entry(Rule.R11, 67),  // c5 (800 lines) and c6 (0) are off: 4 of 6
                Map.entry(Rule.R12, 83),  // busiest day 2 of 6: 1 − (0.333 − 0.2) / 0.8
                Map.entry(Rule.R13, 50)); // 0.5 × 2/3 active + 0.5 × 1/3 reviewing (Bob)
        Map<Rule, RuleScore> scores = scores();
        expected.forEach((rule, score) -> assertThat(scores.get(rule).score()).as(rule + ": " + scores.get(rule).detail()).isEqualTo(score));
    }

    @Test
    void evidenceNamesWhatCostPoints() {
        Map<Rule, RuleScore> scores = scores();
        assertThat(scores.get(Rule.R01).evidence()).extracting(Evidence::ref).containsExactly("2026-10-12");
        assertThat(scores.get(Rule.R04).evidence()).extracting(Evidence::ref).containsExactly("c2", "c3", "c6");
        assertThat(scores.get(Rule.R04).evidence().getFirst().url()).isEqualTo("https://gitlab.example/course/team-a/-/commit/c2");
        assertThat(scores.get(Rule.R05).evidence()).extracting(Evidence::ref).containsExactly("!2");
        assertThat(scores.get(Rule.R05).evidence().getFirst().url()).isEqualTo("https://gitlab.example/course/team-a/-/merge_requests/2");
        assertThat(scores.get(Rule.R06).evidence()).extracting(Evidence::ref).containsExactly("2026-10-26");
        assertThat(scores.get(Rule.R07).evidence()).extracting(Evidence::url).containsExactly("https://gitlab.example/course/team-a/-/pipelines/12");
        assertThat(scores.get(Rule.R09).evidence()).extracting(Evidence::ref).containsExactly("c3", "c6");
        assertThat(scores.get(Rule.R10).evidence()).extracting(Evidence::ref).containsExactly("c2", "c6");
        assertThat(scores.get(Rule.R11).evidence()).extracting(Evidence::ref).containsExactly("c5", "c6");
        assertThat(scores.get(Rule.R12).evidence()).extracting(Evidence::ref).containsExactly("2026-10-06");
        assertThat(scores.get(Rule.R13).evidence()).extracting(Evidence::ref, Evidence::note)
                .containsExactly(Tuple.tuple("alice", "reviewed no one else's work"),
                        Tuple.tuple("carol", "no activity"));
    }

    @Test
    void rulesWithoutDataAreLeftUnscored() {
        TeamFacts quiet = new TeamFacts(Map.of(1L, REPO), List.of(), List.of(), List.of(), List.of(), List.of());
        Map<Rule, RuleScore> scores = RuleScoring.score(quiet, ROSTER, FOUR_WEEKS).stream()
                .collect(Collectors.toMap(RuleScore::rule, Function.identity()));
        assertThat(scores.get(Rule.R01).score()).isZero();
        assertThat(scores.get(Rule.R02).score()).isZero();
        assertThat(scores.get(Rule.R03).score()).isZero();
        assertThat(scores.get(Rule.R07).score()).isNull();
        assertThat(scores.get(Rule.R11).score()).isNull();
        assertThat(scores.get(Rule.R12).score()).isNull();
    }

    @Test
    void gamingSignalsCarryTheirEvidence() {
        Map<Signal.Kind, Signal> signals = GamingSignals.detect(FACTS, ROSTER, FOUR_WEEKS).stream()
                .collect(Collectors.toMap(Signal::kind, Function.identity()));
        assertThat(signals.keySet()).containsExactlyInAnyOrder(Signal.Kind.values());
        assertThat(signals.get(Signal.Kind.EMPTY_COMMITS).evidence()).extracting(Evidence::ref).containsExactly("c6");
        assertThat(signals.get(Signal.Kind.LINE_INFLATION).evidence()).extracting(Evidence::ref, Evidence::note)
                .containsExactly(Tuple.tuple("!2", "1100 lines changed"));
        assertThat(signals.get(Signal.Kind.INSTANT_ISSUES).evidence()).extracting(Evidence::ref).containsExactly("#3");
        assertThat(signals.get(Signal.Kind.SELF_MERGE).evidence()).extracting(Evidence::ref).containsExactly("!2");
    }

    @Test
    void documentationIsJudgedByTheFilesWhenTheForgeListsThem() {
        assertThat(TeamFactRecorder.isDocumentation("README.md")).isTrue();
        assertThat(TeamFactRecorder.isDocumentation("docs/setup.txt")).isTrue();
        assertThat(TeamFactRecorder.isDocumentation("service/CHANGELOG")).isTrue();
        assertThat(TeamFactRecorder.isDocumentation("guide.adoc")).isTrue();
        assertThat(TeamFactRecorder.isDocumentation("src/docker.py")).isFalse();
        assertThat(TeamFactRecorder.isDocumentation("src/readme_parser.py")).as("README* at the start of a file name").isTrue();
        Commit saysDocsTouchesCode = new Commit(1, "d1", null, null, null, at("2026-10-06T10:00:00Z"), "Update docs", "main", null, null, 1, false);
        Commit saysNothingTouchesDocs = new Commit(1, "d2", null, null, null, at("2026-10-06T10:00:00Z"), "Tidy", "main", null, null, 1, true);
        Commit unlisted = new Commit(1, "d3", null, null, null, at("2026-10-06T10:00:00Z"), "Update docs", "main", null, null, null, null);
        assertThat(RuleScoring.documentation(saysDocsTouchesCode)).isFalse();
        assertThat(RuleScoring.documentation(saysNothingTouchesDocs)).isTrue();
        assertThat(RuleScoring.documentation(unlisted)).as("files not listed: the message decides").isTrue();
    }

    @Test
    void evenWorkScoresFullDistribution() {
        assertThat(RuleScoring.gini(new int[] {3, 3, 3})).isZero();
        assertThat(RuleScoring.gini(new int[] {6, 0, 0})).isEqualTo(2.0 / 3);
    }

    @Test
    void weightedScoreLeavesUnscoredRulesOut() {
        Map<Rule, Integer> scores = Map.of(Rule.R01, 100, Rule.R02, 40);
        Map<Rule, Double> weights = new EnumMap<>(Rule.class);
        for (Rule rule : Rule.values()) {
            weights.put(rule, 1.0);
        }
        assertThat(WeightedScore.of(scores, weights)).isEqualTo(70);
        weights.put(Rule.R01, 3.0);
        assertThat(WeightedScore.of(scores, weights)).isEqualTo(85);
        assertThat(Level.of(85, 80, 50)).isEqualTo(Level.GREEN);
        assertThat(Level.of(79, 80, 50)).isEqualTo(Level.AMBER);
        assertThat(Level.of(49, 80, 50)).isEqualTo(Level.RED);
    }
}
