package dev.forgeline.analytics.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.forgeline.analytics.Metrics;
import dev.forgeline.analytics.Metrics.Filter;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.reports.ReportScope;
import dev.forgeline.reports.ReportSection;
import dev.forgeline.reports.ReportTable;
import dev.forgeline.reports.ReportTable.Series;
import dev.forgeline.reports.ReportTable.Trend;

/**
 * Engineering metrics in reports, read through {@link Metrics} with the report's days as the window, so each figure is
 * the one the metrics API answers for the same scope and days: DORA, cycle time and pull request figures of the
 * organisation and each team, the same week by week with their charts, the Delivery Reliability Score, and each
 * person's own figures where the report may show them.
 */
@Component
class AnalyticsReportSection implements ReportSection {

    static final String NONE = "-";
    private static final List<String> SCORE_COLUMNS = List.of("Subject", "Score", "Merge consistency (30 %)",
            "Review participation (20 %)", "Merge-time efficiency (25 %)", "Activity stability (25 %)");

    private final Metrics metrics;
    private final Organisations organisations;

    AnalyticsReportSection(Metrics metrics, Organisations organisations) {
        this.metrics = metrics;
        this.organisations = organisations;
    }

    /** After course compliance: a course report leads with its rules, an organisation report has only these. */
    @Override
    public int order() {
        return 20;
    }

    /** Who a row is about: the organisation (no team) or one team. */
    record Subject(String name, Long teamId) {

        Filter filter(LocalDate from, LocalDate to) {
            return new Filter(teamId, null, null, from, to);
        }
    }

    @Override
    public List<ReportTable> tables(ReportScope scope) {
        List<Subject> subjects = new ArrayList<>();
        if (scope.kind() != ReportScope.Kind.TEAM) {
            subjects.add(new Subject(scope.organisation().name(), null));
        }
        scope.teams().forEach(team -> subjects.add(new Subject(team.name(), team.id())));
        long org = scope.organisation().id();
        List<Person> people = organisations.people(org).stream().filter(p -> scope.people().contains(p.accountId()))
                .sorted(Comparator.comparing(Person::username)).toList();
        Subject main = subjects.getFirst();
        List<ReportTable> tables = new ArrayList<>();
        tables.add(dora(org, subjects, scope));
        tables.add(cycleTime(org, subjects, scope));
        tables.add(pullRequests(org, subjects, scope));
        tables.add(weeklyCycleTime(org, main, scope));
        tables.add(weeklyThroughput(org, main, scope));
        tables.add(reliability(org, subjects, scope));
        if (!people.isEmpty()) {
            tables.add(personReliability(org, main, people, scope));
            tables.add(personActivity(org, people, scope));
        }
        return tables;
    }

    private ReportTable dora(long org, List<Subject> subjects, ReportScope scope) {
        List<List<String>> rows = new ArrayList<>();
        for (Subject subject : subjects) {
            Metrics.Dora d = metrics.dora(org, subject.filter(scope.from(), scope.to()));
            rows.add(List.of(subject.name(), count(d.deployments()), count(d.deploymentDays()), number(d.medianDeploymentDaysPerWeek(), 2),
                    d.frequencyBand().name().toLowerCase(Locale.ROOT), hours(d.leadTimeForChangesHours()),
                    count(d.deployedPullRequests()), percent(d.changeFailureRate()), count(d.failedDeployments()),
                    hours(d.failedDeploymentRecoveryHours()), count(d.incidents())));
        }
        return new ReportTable("DORA", List.of("Subject", "Deployments", "Deployment days", "Days a week (median)", "Frequency band",
                "Lead time h (median)", "Deployed PRs", "Change failure %", "Failed deployments", "Recovery h (median)", "Incidents"),
                rows, null);
    }

    private ReportTable cycleTime(long org, List<Subject> subjects, ReportScope scope) {
        List<List<String>> rows = new ArrayList<>();
        for (Subject subject : subjects) {
            Metrics.CycleTime c = metrics.cycleTime(org, subject.filter(scope.from(), scope.to()));
            Map<String, Metrics.Span> parts = new LinkedHashMap<>();
            parts.put("Coding", c.coding());
            parts.put("Pickup", c.pickup());
            parts.put("Review", c.review());
            parts.put("Deploy", c.deploy());
            parts.put("Cycle time", c.cycle());
            parts.put("Time to merge", c.timeToMerge());
            parts.forEach((part, span) -> rows.add(List.of(subject.name(), part, count(span.samples()), hours(span.medianHours()),
                    hours(span.averageHours()))));
        }
        return new ReportTable("Cycle time of merged pull requests", List.of("Subject", "Part", "PRs", "Median h", "Mean h"), rows, null);
    }

    private ReportTable pullRequests(long org, List<Subject> subjects, ReportScope scope) {
        List<List<String>> rows = new ArrayList<>();
        for (Subject subject : subjects) {
            Metrics.Summary s = metrics.summary(org, subject.filter(scope.from(), scope.to()));
            rows.add(List.of(subject.name(), count(s.prsOpened()), count(s.prsMerged()), count(s.prsClosedUnmerged()),
                    hours(s.avgTimeToMergeHours()), number(s.avgPrSizeLines(), 1), count(s.prsReviewed()), count(s.reviewsGiven()),
                    hours(s.avgReviewResponseHours()), percent(s.firstReviewByOthersRate()), count(s.selfMergesWithoutReview())));
        }
        return new ReportTable("Pull requests and reviews", List.of("Subject", "Opened", "Merged", "Closed unmerged",
                "Merge h (mean)", "Size lines (mean)", "PRs reviewed", "Reviews given", "Response h (mean)",
                "Reviewed by others %", "Self-merged unreviewed"), rows, null);
    }

    /** Calendar weeks (Monday to Sunday) within the report's days; the first and last may be shorter. */
    static List<LocalDate[]> weeks(LocalDate from, LocalDate to) {
        List<LocalDate[]> weeks = new ArrayList<>();
        for (LocalDate start = from; !start.isAfter(to); ) {
            LocalDate end = start.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY));
            weeks.add(new LocalDate[] {start, end.isAfter(to) ? to : end});
            start = end.plusDays(1);
        }
        return weeks;
    }

    private ReportTable weeklyCycleTime(long org, Subject subject, ReportScope scope) {
        List<List<String>> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<List<Double>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (LocalDate[] week : weeks(scope.from(), scope.to())) {
            Metrics.CycleTime c = metrics.cycleTime(org, subject.filter(week[0], week[1]));
            List<Metrics.Span> spans = List.of(c.coding(), c.pickup(), c.review(), c.deploy());
            labels.add(week[0].toString());
            List<String> row = new ArrayList<>(List.of(week[0].toString(), count(c.mergedPullRequests())));
            for (int i = 0; i < spans.size(); i++) {
                parts.get(i).add(spans.get(i).medianHours());
                row.add(hours(spans.get(i).medianHours()));
            }
            row.add(hours(c.cycle().medianHours()));
            rows.add(row);
        }
        Trend chart = new Trend("Cycle time by part per week, " + subject.name() + ": medians stacked", "hours",
                Trend.Style.STACKED_BARS, labels, List.of(new Series("Coding", parts.get(0)), new Series("Pickup", parts.get(1)),
                new Series("Review", parts.get(2)), new Series("Deploy", parts.get(3))));
        return new ReportTable("Cycle time by week, " + subject.name(), List.of("Week of", "Merged PRs", "Coding h (median)",
                "Pickup h (median)", "Review h (median)", "Deploy h (median)", "Cycle time h (median)"), rows, chart);
    }

    private ReportTable weeklyThroughput(long org, Subject subject, ReportScope scope) {
        List<List<String>> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<List<Double>> series = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (LocalDate[] week : weeks(scope.from(), scope.to())) {
            Filter filter = subject.filter(week[0], week[1]);
            Metrics.Summary s = metrics.summary(org, filter);
            int deployments = metrics.dora(org, filter).deployments();
            labels.add(week[0].toString());
            rows.add(List.of(week[0].toString(), count(s.prsOpened()), count(s.prsMerged()), count(s.prsClosedUnmerged()),
                    count(s.reviewsGiven()), count(deployments)));
            series.get(0).add((double) s.prsOpened());
            series.get(1).add((double) s.prsMerged());
            series.get(2).add((double) s.reviewsGiven());
            series.get(3).add((double) deployments);
        }
        Trend chart = new Trend("Throughput per week, " + subject.name(), "count", Trend.Style.LINES, labels,
                List.of(new Series("PRs opened", series.get(0)), new Series("PRs merged", series.get(1)),
                        new Series("Reviews given", series.get(2)), new Series("Deployments", series.get(3))));
        return new ReportTable("Throughput by week, " + subject.name(), List.of("Week of", "PRs opened", "PRs merged",
                "Closed unmerged", "Reviews given", "Deployments"), rows, chart);
    }

    private ReportTable reliability(long org, List<Subject> subjects, ReportScope scope) {
        List<List<String>> rows = new ArrayList<>();
        List<ReportTable.Bar> bars = new ArrayList<>();
        Metrics.Window window = null;
        for (Subject subject : subjects) {
            Metrics.Reliability r = metrics.reliability(org, subject.filter(scope.from(), scope.to()));
            window = r.window();
            rows.add(scoreRow(subject.name(), r.score()));
            bars.add(new ReportTable.Bar(subject.name(), r.score().score()));
        }
        return new ReportTable("Delivery Reliability Score, " + window.from() + " to " + window.to(), SCORE_COLUMNS, rows,
                new ReportTable.Chart("Delivery Reliability Score (0-100)", 100, bars));
    }

    private static List<String> scoreRow(String name, Metrics.Score s) {
        return List.of(name, number(s.score(), 2), number(s.mergeConsistency(), 3), number(s.reviewParticipation(), 3),
                number(s.mergeTimeEfficiency(), 3), number(s.activityStability(), 3));
    }

    /** Each person's score as the reliability API gives it for the report's team, or the organisation. */
    private ReportTable personReliability(long org, Subject subject, List<Person> people, ReportScope scope) {
        Metrics.Reliability r = metrics.reliability(org, subject.filter(scope.from(), scope.to()));
        Map<Long, Metrics.PersonScore> scores = r.people().stream()
                .collect(Collectors.toMap(Metrics.PersonScore::accountId, Function.identity()));
        List<List<String>> rows = new ArrayList<>();
        List<ReportTable.Bar> bars = new ArrayList<>();
        for (Person person : people) {
            Metrics.PersonScore score = scores.get(person.accountId());
            if (score != null) {
                rows.add(scoreRow(person.username(), score.score()));
                bars.add(new ReportTable.Bar(person.username(), score.score().score()));
            }
        }
        List<String> columns = new ArrayList<>(SCORE_COLUMNS);
        columns.set(0, "Person");
        return new ReportTable("Delivery Reliability Score per person, " + r.window().from() + " to " + r.window().to(), columns, rows,
                bars.isEmpty() ? null : new ReportTable.Chart("Delivery Reliability Score per person (0-100)", 100, bars));
    }

    private ReportTable personActivity(long org, List<Person> people, ReportScope scope) {
        List<List<String>> rows = new ArrayList<>();
        for (Person person : people) {
            Metrics.Summary s = metrics.summary(org, new Filter(null, person.accountId(), null, scope.from(), scope.to()));
            rows.add(List.of(person.username(), count(s.prsOpened()), count(s.prsMerged()), count(s.prsReviewed()),
                    count(s.reviewsGiven()), count(s.reviewsReceived()), count(s.commits()), Long.toString(s.additions()),
                    Long.toString(s.deletions()), count(s.comments()), hours(s.avgTimeToMergeHours())));
        }
        return new ReportTable("People", List.of("Person", "PRs opened", "PRs merged", "PRs reviewed", "Reviews given",
                "Reviews received", "Commits", "Lines added", "Lines deleted", "Comments", "Merge h (mean)"), rows, null);
    }

    static String count(Integer value) {
        return value == null ? NONE : value.toString();
    }

    static String hours(Double value) {
        return number(value, 2);
    }

    static String percent(Double rate) {
        return rate == null ? NONE : number(rate * 100, 1);
    }

    /** Rounded half up to at most {@code decimals}, without trailing zeros: 17.5, 24, 0.125. */
    static String number(Double value, int decimals) {
        if (value == null) {
            return NONE;
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
