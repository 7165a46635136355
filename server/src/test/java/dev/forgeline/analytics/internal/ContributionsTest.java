package dev.forgeline.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.forgeline.analytics.internal.Facts.PullRequestFact;

class ContributionsTest {

    static PullRequestFact merged(String firstCommit, String created, String response, String merged, String deployed) {
        return new PullRequestFact(1, 1, "github:ana", "merged", false, Instant.parse(merged), Instant.parse(created),
                Instant.parse(merged), Instant.parse(merged), "github:ana", null, "f", 1, 1,
                firstCommit == null ? null : Instant.parse(firstCommit), response == null ? null : Instant.parse(response),
                response == null ? null : Instant.parse(response), deployed == null ? null : Instant.parse(deployed));
    }

    @Test
    void aDayIsTheCalendarDayOfTheConfiguredZone() {
        Instant lateEvening = Instant.parse("2026-06-20T23:30:00Z");
        assertThat(new Contributions(ZoneId.of("UTC")).day(lateEvening)).isEqualTo(LocalDate.parse("2026-06-20"));
        assertThat(new Contributions(ZoneId.of("Europe/Paris")).day(lateEvening)).isEqualTo(LocalDate.parse("2026-06-21"));
        assertThat(new Contributions(ZoneId.of("America/New_York")).day(lateEvening)).isEqualTo(LocalDate.parse("2026-06-20"));
    }

    @Test
    void negativeSpansAreClampedToZero() {
        // commit authored after the PR opened, answer before it opened
        var spans = Contributions.spans(merged("2026-06-01T12:00:00Z", "2026-06-01T10:00:00Z", "2026-06-01T09:00:00Z",
                "2026-06-01T20:00:00Z", null));
        assertThat(spans.coding()).isZero();
        assertThat(spans.pickup()).isZero();
        assertThat(spans.review()).isEqualTo(10 * 3600);
        assertThat(spans.deploy()).isNull();
        assertThat(spans.cycle()).isEqualTo(10 * 3600);
    }

    @Test
    void anAnswerAfterTheMergeIsNoPickup() {
        var spans = Contributions.spans(merged(null, "2026-06-01T10:00:00Z", "2026-06-02T10:00:00Z", "2026-06-01T20:00:00Z",
                "2026-06-01T21:00:00Z"));
        assertThat(spans.pickup()).isNull();
        assertThat(spans.review()).isNull();
        assertThat(spans.coding()).isNull();
        assertThat(spans.deploy()).isEqualTo(3600);
        assertThat(spans.cycle()).isEqualTo(11 * 3600);
    }

    @Test
    void reliabilityScoreWeighsItsFourComponents() {
        // merged every week, as many reviews as the team's average, median merge 96 h (half-way), steady activity
        var weeks = new MetricsReader.Weeks(new long[] {1, 1, 1, 1, 1, 1, 1, 1}, new long[] {4, 4, 4, 4, 4, 4, 4, 4}, 3,
                96 * 3600.0);
        var score = MetricsReader.score(weeks, 3);
        assertThat(score.mergeConsistency()).isEqualTo(1.0);
        assertThat(score.reviewParticipation()).isEqualTo(1.0);
        assertThat(score.mergeTimeEfficiency()).isEqualTo(0.5);
        assertThat(score.activityStability()).isEqualTo(1.0);
        assertThat(score.score()).isEqualTo(87.5);
    }
}
