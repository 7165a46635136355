package dev.forgeline.reports;

import java.util.List;

/**
 * A titled table a section contributes, cells already formatted (the CSV and the PDF show the same text), with an
 * optional bar chart drawn under it in the PDF.
 */
public record ReportTable(String title, List<String> columns, List<List<String>> rows, Chart chart) {

    public ReportTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row of '" + title + "' has " + row.size() + " cells for " + columns.size() + " columns");
            }
        }
    }

    /** Bars from 0 to {@code max}, one per label, with optional reference lines (thresholds, targets). */
    public record Chart(String title, double max, List<Bar> bars, List<Mark> marks) {

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
}
