package dev.forgeline.web.internal;

import java.time.LocalDate;
import java.util.List;

/** What the overview, team and person pages show; filled by {@link DashboardMetrics}. */
final class DashboardView {

    private DashboardView() {
    }

    /** The filters of a view, kept in the URL so a view can be shared; team and repository are optional. */
    record Filters(String team, Long repository, LocalDate from, LocalDate to) {

        /** The last twelve weeks unless the URL says otherwise. */
        static Filters of(String team, Long repository, LocalDate from, LocalDate to) {
            LocalDate end = to != null ? to : LocalDate.now(java.time.ZoneOffset.UTC);
            return new Filters(team, repository, from != null ? from : end.minusWeeks(12), end);
        }
    }

    record Option(String value, String label) {
    }

    /** A DORA figure with its band (elite, high, medium, low) as the definitions give it. */
    record DoraTile(String name, String value, String band, String explanation) {
    }

    /** Hours of each phase of the median PR merged in the week. */
    record CycleWeek(String week, double coding, double pickup, double review, double deploy) {
    }

    record CountWeek(String week, int count) {
    }

    record Alert(String severity, String title, String detail, String link) {
    }

    record WaitingPr(String repository, long number, String title, String author, String waitingFor, String link) {
    }

    record Overview(String organisation, List<Option> organisations, List<Option> teams, List<Option> repositories,
                    List<DoraTile> dora, List<CycleWeek> cycleTime, List<CountWeek> throughput, List<Alert> alerts,
                    List<WaitingPr> waiting) {

        boolean isEmpty() {
            return dora.isEmpty() && cycleTime.isEmpty() && throughput.isEmpty() && alerts.isEmpty() && waiting.isEmpty();
        }
    }

    /** A course rule's result for a team: green, amber or red, with where its evidence is. */
    record RuleResult(String rule, String title, String light, String detail, String evidenceLink) {
    }

    record TeamRow(String slug, String name, String light, int members) {
    }

    record Member(long accountId, String name, String role) {
    }

    record TeamPage(String organisation, String slug, String name, String light, List<RuleResult> rules, List<Member> members,
                    List<CycleWeek> cycleTime, List<CountWeek> throughput, List<TeamRow> otherTeams) {
    }

    record ScoreComponent(String name, double value, String explanation) {
    }

    record Figure(String name, String value) {
    }

    record PersonPage(String organisation, long accountId, String name, List<Figure> figures, double reliability,
                      List<ScoreComponent> reliabilityComponents, List<CountWeek> throughput, List<Figure> attendance) {
    }
}
