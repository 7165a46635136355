package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_SCORE_SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.UUID;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.forgeline.analytics.AnalyticsTests;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.test.ForgelineTest;

@ForgelineTest
@TestPropertySource(properties = {AnalyticsTests.ADMIN, AnalyticsTests.NO_ALERT_JOB, AnalyticsTests.NO_SNAPSHOT_JOB,
        AnalyticsTests.SNAPSHOTS_KEPT_30_DAYS})
class ScoreSnapshotsTest {

    @Autowired DSLContext db;
    @Autowired Organisations organisations;
    @Autowired ScoreSnapshots snapshots;

    @Test
    void eachWeekKeepsOneSnapshotPerPersonTeamAndOrganisationAndOldWeeksAreDropped() {
        String suffix = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000L);
        Organisation org = organisations.create("snap-" + suffix, "Snap", Organisation.Kind.TEAM);
        long ana = organisations.createAccount("snap-ana-" + suffix, "Ana", null);
        organisations.addMember(org.id(), ana, OrgRole.DEVELOPER);
        var team = organisations.createTeam(org.id(), "core", "Core");
        organisations.addTeamMember(team.id(), ana);

        snapshots.snapshot(org.id(), LocalDate.parse("2026-06-03")); // a Wednesday
        snapshots.snapshot(org.id(), LocalDate.parse("2026-06-05")); // the same week: replaces it
        assertThat(db.select(AN_SCORE_SNAPSHOT.SUBJECT, AN_SCORE_SNAPSHOT.WEEK).from(AN_SCORE_SNAPSHOT)
                .where(AN_SCORE_SNAPSHOT.ORGANISATION_ID.eq(org.id())).fetch(r -> r.value1() + "@" + r.value2()))
                .containsExactlyInAnyOrder("person:" + ana + "@2026-06-01", "team:" + team.id() + "@2026-06-01", "org@2026-06-01");

        snapshots.run(); // this week's snapshot; June's is past the 30 days kept
        LocalDate thisWeek = LocalDate.now().with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
        assertThat(db.select(AN_SCORE_SNAPSHOT.WEEK).from(AN_SCORE_SNAPSHOT).where(AN_SCORE_SNAPSHOT.ORGANISATION_ID.eq(org.id()))
                .fetch(AN_SCORE_SNAPSHOT.WEEK)).containsOnly(thisWeek).hasSize(3);
    }
}
