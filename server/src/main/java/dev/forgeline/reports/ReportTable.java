package dev.forgeline.reports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A titled table a section contributes, cells already formatted (the CSV and the PDF show the same text), with an
 * optional figure drawn under it in the PDF. A figure shows the table's own numbers, so the CSV holds them too.
 */
public record ReportTable(String title, List<String> columns, List<List<String>> rows, Figure chart) {

    public ReportTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row of '" + title + "' has " + row.size() + " cells for " + columns.size() + " columns");
            }
        }
    }

    /** What the PDF draws under a table. */
    public sealed interface Figure permits Chart, Trend {
    }

    /** Bars from 0 to {@code max}, one per label, with optional reference lines (thresholds, targets). */
    public record Chart(String title, double max, List<Bar> bars, List<Mark> marks) implements Figure {

        public Chart {
            bars = List.copyOf(bars);
            marks = marks == null ? List.of() : List.copyOf(marks);
        }

        public Chart(String title, double max, List<Bar> bars) {
            this(title, max, bars, List.of());
        }
    }

    /** How a bar reads: neutral, or good / warning / bad (drawn green, amber, red). */
    public enum Tone { NEUTRAL, GOOD, WARNING, BAD }

    public record Bar(String label, double value, Tone tone) {

        public Bar {
            tone = tone == null ? Tone.NEUTRAL : tone;
        }

        public Bar(String label, double value) {
            this(label, value, Tone.NEUTRAL);
        }
    }

    /** A dashed horizontal line across the chart at {@code value}. */
    public record Mark(String label, double value) {
    }

    /**
     * Series over periods (weeks, days), one value per label: stacked bars for the parts of a whole, lines for
     * figures side by side. A null value is a period without a sample: no bar segment, a gap in the line.
     */
    public record Trend(String title, String unit, Style style, List<String> labels, List<Series> series) implements Figure {

        public enum Style { STACKED_BARS, LINES }

        public Trend {
            labels = List.copyOf(labels);
            series = List.copyOf(series);
            for (Series s : series) {
                if (s.values().size() != labels.size()) {
                    throw new IllegalArgumentException("series '" + s.name() + "' of '" + title + "' has " + s.values().size()
                            + " values for " + labels.size() + " periods");
                }
            }
        }
    }

    public record Series(String name, List<Double> values) {

        public Series {
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }
    }
}
