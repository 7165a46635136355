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

    /** Bars from 0 to {@code max}, one per label. */
    public record Chart(String title, double max, List<Bar> bars) {

        public Chart {
            bars = List.copyOf(bars);
        }
    }

    public record Bar(String label, double value) {
    }
}
