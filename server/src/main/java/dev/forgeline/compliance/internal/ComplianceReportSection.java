package dev.forgeline.compliance.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import dev.forgeline.compliance.Rule;
import dev.forgeline.identity.Team;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.reports.ReportScope;
import dev.forgeline.reports.ReportSection;
import dev.forgeline.reports.ReportTable;

/**
 * Compliance in reports: each team's rule scores and weighted score over the report's period (scored afresh for it,
 * with the course's current weights), a chart of the weighted scores, the weights, and the gaming signals.
 */
@Component
class ComplianceReportSection implements ReportSection {

    static final String UNSCORED = "-";

    private final TeamScorer scorer;
    private final ScoreStore scores;
    private final int green;
    private final int amber;

    ComplianceReportSection(TeamScorer scorer, ScoreStore scores, ForgelineProperties settings) {
        this.scorer = scorer;
        this.scores = scores;
        this.green = settings.compliance().green();
        this.amber = settings.compliance().amber();
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public List<ReportTable> tables(ReportScope scope) {
        if (!scope.end().isAfter(scope.start()) || scope.teams().isEmpty()) {
            return List.of();
        }
        Period period = new Period(scope.start(), scope.end());
        Map<Rule, Double> weights = scores.weights(scope.organisation().id());
        Instant now = Instant.now();
        List<String> columns = new ArrayList<>(List.of("Team", "Score", "Level"));
        for (Rule rule : Rule.values()) {
            columns.add(rule.name());
        }
        columns.add("Signals");
        List<List<String>> rows = new ArrayList<>();
        List<ReportTable.Bar> bars = new ArrayList<>();
        List<List<String>> signalRows = new ArrayList<>();
        List<List<String>> detailRows = new ArrayList<>();
        TreeMap<LocalDate, Map<Long, Integer>> weekly = new TreeMap<>();
        for (Team team : scope.teams()) {
            ScoreStore.TeamResult result = scorer.score(team, period, now);
            Integer score = WeightedScore.of(result.scores(), weights);
            List<String> row = new ArrayList<>(List.of(team.name(), cell(score), score == null ? UNSCORED : Level.of(score, green, amber).code()));
            result.rules().forEach(r -> row.add(cell(r.score())));
            row.add(Integer.toString(result.signals().stream().mapToInt(s -> s.evidence().size()).sum()));
            rows.add(row);
            if (score != null) {
                bars.add(new ReportTable.Bar(team.name(), score, switch (Level.of(score, green, amber)) {
                    case GREEN -> ReportTable.Tone.GOOD;
                    case AMBER -> ReportTable.Tone.WARNING;
                    case RED -> ReportTable.Tone.BAD;
                }));
            }
            result.rules().forEach(r -> detailRows.add(List.of(team.name(), r.rule().name(), r.rule().title(), cell(r.score()), r.detail())));
            scores.snapshots(team.id(), scope.from(), scope.to())
                    .forEach(snapshot -> weekly.computeIfAbsent(snapshot.week(), week -> new HashMap<>()).put(team.id(), snapshot.score()));
            for (Signal signal : result.signals()) {
                for (Evidence e : signal.evidence()) {
                    signalRows.add(List.of(team.name(), signal.kind().title(), e.ref(), e.url() == null ? "" : e.url(), e.note()));
                }
            }
        }
        List<ReportTable> tables = new ArrayList<>();
        tables.add(new ReportTable("Course compliance", columns, rows,
                bars.isEmpty() ? null : new ReportTable.Chart("Weighted compliance score by team", 100, bars,
                        List.of(new ReportTable.Mark("green " + green, green), new ReportTable.Mark("amber " + amber, amber)))));
        List<List<String>> weightRows = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            weightRows.add(List.of(rule.name(), rule.title(), weight(weights.get(rule))));
        }
        tables.add(new ReportTable("Rule details", List.of("Team", "Rule", "Title", "Score", "Detail"), detailRows, null));
        if (!weekly.isEmpty()) {
            List<String> weekColumns = new ArrayList<>(List.of("Week"));
            scope.teams().forEach(team -> weekColumns.add(team.name()));
            List<List<String>> weekRows = new ArrayList<>();
            weekly.forEach((week, byTeam) -> {
                List<String> row = new ArrayList<>(List.of(week.toString()));
                scope.teams().forEach(team -> row.add(cell(byTeam.get(team.id()))));
                weekRows.add(row);
            });
            tables.add(new ReportTable("Weekly compliance snapshots", weekColumns, weekRows, null));
        }
        tables.add(new ReportTable("Compliance rules and weights", List.of("Rule", "Title", "Weight"), weightRows, null));
        if (!signalRows.isEmpty()) {
            tables.add(new ReportTable("Gaming signals", List.of("Team", "Signal", "Evidence", "Link", "Note"), signalRows, null));
        }
        return tables;
    }

    private static String cell(Integer value) {
        return value == null ? UNSCORED : value.toString();
    }

    private static String weight(double weight) {
        return weight == Math.rint(weight) ? Long.toString((long) weight) : Double.toString(weight);
    }
}
