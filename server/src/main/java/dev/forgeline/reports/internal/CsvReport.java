package dev.forgeline.reports.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.forgeline.reports.ReportTable;

/**
 * A report as CSV (RFC 4180, UTF-8, CRLF): a heading line, then each table as its title line, its header line and
 * its rows, tables separated by an empty line.
 */
final class CsvReport {

    private CsvReport() {
    }

    static byte[] render(String heading, List<ReportTable> tables) {
        StringBuilder out = new StringBuilder();
        line(out, List.of(heading));
        for (ReportTable table : tables) {
            out.append("\r\n");
            line(out, List.of(table.title()));
            line(out, table.columns());
            table.rows().forEach(row -> line(out, row));
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    static String cell(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
