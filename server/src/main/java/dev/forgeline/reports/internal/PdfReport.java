package dev.forgeline.reports.internal;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import dev.forgeline.reports.ReportTable;

/**
 * A report as PDF (Apache PDFBox): landscape A4 pages with the heading, then each table as a grid, followed by its
 * figure when it has one (a bar chart, or a trend of stacked bars or lines with a legend). Uses the standard Helvetica fonts, so characters outside WinAnsi print as "?".
 */
final class PdfReport {

    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 40;
    private static final float FONT_SIZE = 8;
    private static final float ROW_HEIGHT = 14;
    private static final float LINE_HEIGHT = 9.5f;
    private static final float PADDING = 4;
    private static final float CHART_HEIGHT = 150;
    private static final Color HEADER = new Color(230, 233, 240);
    private static final Color RULE = new Color(200, 204, 212);
    private static final Color BAR = new Color(60, 110, 190);
    private static final Color GOOD = new Color(46, 150, 80);
    private static final Color WARNING = new Color(230, 160, 30);
    private static final Color BAD = new Color(200, 60, 50);
    private static final Color GRID = new Color(225, 228, 234);
    /** Series colours, told apart in print and by most colour-blind readers (Okabe and Ito's palette). */
    private static final Color[] SERIES = {new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115),
            new Color(204, 121, 167), new Color(86, 180, 233), new Color(213, 94, 0), new Color(120, 120, 120)};

    private final PDDocument document = new PDDocument();
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private final Map<Character, Boolean> printable = new HashMap<>();
    private PDPageContentStream page;
    private float y;

    private PdfReport() {
    }

    static byte[] render(String heading, String subheading, List<ReportTable> tables) {
        PdfReport pdf = new PdfReport();
        try (pdf.document) {
            PDDocumentInformation info = pdf.document.getDocumentInformation();
            info.setTitle(heading);
            info.setCreator("Forgeline");
            pdf.newPage();
            pdf.text(heading, pdf.bold, 16, MARGIN, pdf.y);
            pdf.y -= 18;
            pdf.text(subheading, pdf.regular, 10, MARGIN, pdf.y);
            pdf.y -= 26;
            if (tables.isEmpty()) {
                pdf.text("Nothing to report for this scope and period.", pdf.regular, 10, MARGIN, pdf.y);
            }
            for (ReportTable table : tables) {
                pdf.keepWithFigure(table);
                pdf.table(table);
                switch (table.chart()) {
                    case null -> { }
                    case ReportTable.Chart chart when !chart.bars().isEmpty() -> pdf.chart(chart);
                    case ReportTable.Trend trend when !trend.labels().isEmpty() && !trend.series().isEmpty() -> pdf.trend(trend);
                    default -> { }
                }
            }
            pdf.page.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pdf.document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void newPage() throws IOException {
        if (page != null) {
            page.close();
        }
        PDPage next = new PDPage(PAGE);
        document.addPage(next);
        page = new PDPageContentStream(document, next);
        y = PAGE.getHeight() - MARGIN;
    }

    private void ensure(float height) throws IOException {
        if (y - height < MARGIN) {
            newPage();
        }
    }

    /** A table that fits one page together with its figure starts a new page rather than be parted from it. */
    private void keepWithFigure(ReportTable table) throws IOException {
        float figure = switch (table.chart()) {
            case null -> 0;
            case ReportTable.Chart chart -> CHART_HEIGHT + 50;
            case ReportTable.Trend trend -> CHART_HEIGHT + 64 + 12 * (trend.series().size() / 6);
        };
        float height = 20 + 3 * ROW_HEIGHT + table.rows().size() * ROW_HEIGHT + 20 + figure;
        if (figure > 0 && height <= PAGE.getHeight() - 2 * MARGIN) {
            ensure(height);
        }
    }

    private void table(ReportTable table) throws IOException {
        float[] widths = widths(table);
        List<List<String>> header = header(table.columns(), widths);
        float headerHeight = ROW_HEIGHT + (header.stream().mapToInt(List::size).max().orElse(1) - 1) * LINE_HEIGHT;
        ensure(20 + headerHeight + ROW_HEIGHT);
        text(table.title(), bold, 12, MARGIN, y);
        y -= 10;
        header(header, widths, headerHeight);
        for (int r = 0; r < table.rows().size(); r++) {
            if (y - ROW_HEIGHT < MARGIN) {
                newPage();
                header(header, widths, headerHeight);
            }
            row(table.rows().get(r), widths, regular);
        }
        y -= 20;
    }

    /** Each column's heading as the lines it takes in its column, words wrapped. */
    private List<List<String>> header(List<String> columns, float[] widths) throws IOException {
        List<List<String>> lines = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            float room = widths[i] - 2 * PADDING;
            List<String> wrapped = new ArrayList<>();
            String line = "";
            for (String word : printable(columns.get(i), bold).split(" ")) {
                String longer = line.isEmpty() ? word : line + " " + word;
                if (line.isEmpty() || width(longer, bold, FONT_SIZE) <= room + 0.01f) {
                    line = longer;
                } else {
                    wrapped.add(fit(line, bold, room));
                    line = word;
                }
            }
            wrapped.add(fit(line, bold, room));
            lines.add(wrapped);
        }
        return lines;
    }

    private void header(List<List<String>> lines, float[] widths, float height) throws IOException {
        float total = 0;
        for (float w : widths) {
            total += w;
        }
        page.setNonStrokingColor(HEADER);
        page.addRect(MARGIN, y - height, total, height);
        page.fill();
        page.setNonStrokingColor(Color.BLACK);
        float x = MARGIN;
        for (int i = 0; i < lines.size(); i++) {
            for (int k = 0; k < lines.get(i).size(); k++) {
                text(lines.get(i).get(k), bold, FONT_SIZE, x + PADDING, y - ROW_HEIGHT + 4 - k * LINE_HEIGHT);
            }
            x += widths[i];
        }
        y -= height;
        rule(total);
    }

    /** The thin line under a table row, as wide as the table. */
    private void rule(float width) throws IOException {
        page.setStrokingColor(RULE);
        page.setLineWidth(0.5f);
        page.moveTo(MARGIN, y);
        page.lineTo(MARGIN + width, y);
        page.stroke();
    }

    private void row(List<String> cells, float[] widths, PDType1Font font) throws IOException {
        float x = MARGIN;
        float total = 0;
        for (int i = 0; i < cells.size(); i++) {
            text(fit(cells.get(i), font, widths[i] - 2 * PADDING), font, FONT_SIZE, x + PADDING, y - ROW_HEIGHT + 4);
            x += widths[i];
            total += widths[i];
        }
        y -= ROW_HEIGHT;
        rule(total);
    }

    /**
     * Each column as wide as its widest cell and its heading; when they do not fit the page, headings wrap (a column
     * as wide as its longest word), and if that is still too wide the widest are narrowed to a common cap.
     */
    private float[] widths(ReportTable table) throws IOException {
        float available = PAGE.getWidth() - 2 * MARGIN;
        float[] widths = widths(table, false);
        float sum = 0;
        for (float w : widths) {
            sum += w;
        }
        if (sum > available) {
            widths = widths(table, true);
        }
        float[] sorted = widths.clone();
        Arrays.sort(sorted);
        float fixed = 0;
        for (int i = 0; i < sorted.length; i++) {
            float cap = (available - fixed) / (sorted.length - i);
            if (sorted[i] > cap) {
                for (int j = 0; j < widths.length; j++) {
                    widths[j] = Math.min(widths[j], cap);
                }
                break;
            }
            fixed += sorted[i];
        }
        return widths;
    }

    private float[] widths(ReportTable table, boolean wrapHeadings) throws IOException {
        float[] widths = new float[table.columns().size()];
        for (int i = 0; i < widths.length; i++) {
            if (wrapHeadings) {
                for (String word : table.columns().get(i).split(" ")) {
                    widths[i] = Math.max(widths[i], width(word, bold, FONT_SIZE));
                }
            } else {
                widths[i] = width(table.columns().get(i), bold, FONT_SIZE);
            }
            for (List<String> row : table.rows()) {
                widths[i] = Math.max(widths[i], width(row.get(i), regular, FONT_SIZE));
            }
            widths[i] += 2 * PADDING;
        }
        return widths;
    }

    private void chart(ReportTable.Chart chart) throws IOException {
        ensure(CHART_HEIGHT + 50);
        text(chart.title(), bold, 10, MARGIN, y);
        y -= 16;
        float baseline = y - CHART_HEIGHT;
        float left = MARGIN + 30;
        float width = PAGE.getWidth() - 2 * MARGIN - 30;
        double max = chart.max() > 0 ? chart.max() : chart.bars().stream().mapToDouble(ReportTable.Bar::value).max().orElse(1);
        page.setStrokingColor(Color.DARK_GRAY);
        page.setLineWidth(0.8f);
        page.moveTo(left, baseline);
        page.lineTo(left + width, baseline);
        page.moveTo(left, baseline);
        page.lineTo(left, baseline + CHART_HEIGHT);
        page.stroke();
        text(format(max), regular, 7, MARGIN, baseline + CHART_HEIGHT - 3);
        text("0", regular, 7, MARGIN, baseline - 2);
        int n = chart.bars().size();
        float slot = width / n;
        float barWidth = Math.min(40, slot * 0.6f);
        for (int i = 0; i < n; i++) {
            ReportTable.Bar bar = chart.bars().get(i);
            float height = (float) (Math.max(0, Math.min(bar.value(), max)) / max * (CHART_HEIGHT - 12));
            float x = left + i * slot + (slot - barWidth) / 2;
            page.setNonStrokingColor(switch (bar.tone()) {
                case GOOD -> GOOD;
                case WARNING -> WARNING;
                case BAD -> BAD;
                case NEUTRAL -> BAR;
            });
            page.addRect(x, baseline, barWidth, height);
            page.fill();
            page.setNonStrokingColor(Color.BLACK);
            String value = format(bar.value());
            text(value, regular, 7, x + (barWidth - width(value, regular, 7)) / 2, baseline + height + 3);
            String label = fit(bar.label(), regular, slot - 4);
            text(label, regular, 7, left + i * slot + (slot - width(label, regular, 7)) / 2, baseline - 10);
        }
        for (ReportTable.Mark mark : chart.marks()) {
            float at = baseline + (float) (Math.max(0, Math.min(mark.value(), max)) / max * (CHART_HEIGHT - 12));
            page.setStrokingColor(Color.GRAY);
            page.setLineWidth(0.5f);
            page.setLineDashPattern(new float[] {3, 3}, 0);
            page.moveTo(left, at);
            page.lineTo(left + width, at);
            page.stroke();
            page.setLineDashPattern(new float[] {}, 0);
            text(mark.label(), regular, 7, left + width - width(mark.label(), regular, 7), at + 2);
        }
        y = baseline - 30;
    }

    private void trend(ReportTable.Trend trend) throws IOException {
        ensure(CHART_HEIGHT + 64);
        text(trend.title() + (trend.unit() == null || trend.unit().isBlank() ? "" : " (" + trend.unit() + ")"), bold, 10, MARGIN, y);
        y -= 14;
        legend(trend.series());
        y -= 14;
        float top = y;
        float baseline = top - CHART_HEIGHT;
        float left = MARGIN + 30;
        float width = PAGE.getWidth() - 2 * MARGIN - 30;
        boolean stacked = trend.style() == ReportTable.Trend.Style.STACKED_BARS;
        int n = trend.labels().size();
        double highest = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (ReportTable.Series s : trend.series()) {
                Double v = s.values().get(i);
                double value = v == null ? 0 : Math.max(0, v);
                sum = stacked ? sum + value : Math.max(sum, value);
            }
            highest = Math.max(highest, sum);
        }
        double step = step(highest / 4);
        double max = step * Math.max(1, Math.ceil(highest / step));
        page.setLineWidth(0.5f);
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step));
        for (int k = 0; k * step <= max + step / 2; k++) {
            double tick = k * step;
            float at = baseline + (float) (tick / max * CHART_HEIGHT);
            page.setStrokingColor(tick == 0 ? Color.DARK_GRAY : GRID);
            page.moveTo(left, at);
            page.lineTo(left + width, at);
            page.stroke();
            String label = String.format(Locale.ROOT, "%." + decimals + "f", tick);
            text(label, regular, 7, left - 4 - width(label, regular, 7), at - 2);
        }
        float slot = width / n;
        int every = Math.max(1, (int) Math.ceil(n * (width("2026-12-31", regular, 7) + 6) / width));
        for (int i = 0; i < n; i++) {
            if (i % every == 0) {
                String label = fit(trend.labels().get(i), regular, slot * every - 4);
                text(label, regular, 7, left + i * slot + (slot - width(label, regular, 7)) / 2, baseline - 10);
            }
        }
        if (stacked) {
            float barWidth = Math.min(36, slot * 0.7f);
            for (int i = 0; i < n; i++) {
                float x = left + i * slot + (slot - barWidth) / 2;
                float from = baseline;
                for (int s = 0; s < trend.series().size(); s++) {
                    Double v = trend.series().get(s).values().get(i);
                    if (v == null || v <= 0) {
                        continue;
                    }
                    float height = (float) (v / max * CHART_HEIGHT);
                    page.setNonStrokingColor(SERIES[s % SERIES.length]);
                    page.addRect(x, from, barWidth, height);
                    page.fill();
                    from += height;
                }
            }
        } else {
            page.setLineWidth(1.5f);
            for (int s = 0; s < trend.series().size(); s++) {
                Color colour = SERIES[s % SERIES.length];
                page.setStrokingColor(colour);
                page.setNonStrokingColor(colour);
                List<Double> values = trend.series().get(s).values();
                boolean drawing = false;
                for (int i = 0; i < n; i++) {
                    Double v = values.get(i);
                    if (v == null) {
                        drawing = false;
                        continue;
                    }
                    float x = left + i * slot + slot / 2;
                    float at = baseline + (float) (Math.max(0, v) / max * CHART_HEIGHT);
                    if (drawing) {
                        page.lineTo(x, at);
                    } else {
                        page.moveTo(x, at);
                    }
                    drawing = true;
                }
                page.stroke();
                for (int i = 0; i < n; i++) {
                    Double v = values.get(i);
                    if (v != null) {
                        page.addRect(left + i * slot + slot / 2 - 1.5f, baseline + (float) (Math.max(0, v) / max * CHART_HEIGHT) - 1.5f, 3, 3);
                    }
                }
                page.fill();
            }
        }
        page.setNonStrokingColor(Color.BLACK);
        y = baseline - 30;
    }

    private void legend(List<ReportTable.Series> series) throws IOException {
        float x = MARGIN;
        for (int s = 0; s < series.size(); s++) {
            String name = printable(series.get(s).name(), regular);
            float needed = 14 + width(name, regular, 8) + 12;
            if (x + needed > PAGE.getWidth() - MARGIN) {
                x = MARGIN;
                y -= 12;
            }
            page.setNonStrokingColor(SERIES[s % SERIES.length]);
            page.addRect(x, y - 1, 9, 8);
            page.fill();
            page.setNonStrokingColor(Color.BLACK);
            text(name, regular, 8, x + 13, y);
            x += needed;
        }
    }

    /** A round step near {@code rough} (1, 2 or 5 times a power of ten), so the axis reads at a glance. */
    static double step(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double unit = rough / power;
        return power * (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private void text(String text, PDType1Font font, float size, float x, float atY) throws IOException {
        page.beginText();
        page.setFont(font, size);
        page.newLineAtOffset(x, atY);
        page.showText(printable(text, font));
        page.endText();
    }

    private float width(String text, PDType1Font font, float size) throws IOException {
        return font.getStringWidth(printable(text, font)) / 1000 * size;
    }

    private String fit(String text, PDType1Font font, float width) throws IOException {
        String clean = printable(text, font);
        if (width(clean, font, FONT_SIZE) <= width + 0.01f) { // the widest cell set the column's width: float rounding aside, it fits
            return clean;
        }
        while (!clean.isEmpty() && width(clean + "...", font, FONT_SIZE) > width) {
            clean = clean.substring(0, clean.length() - 1);
        }
        return clean + "...";
    }

    /** Standard fonts encode WinAnsi only: anything else becomes "?" rather than failing the report. */
    private String printable(String text, PDType1Font font) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            boolean ok = printable.computeIfAbsent(c, ch -> {
                try {
                    font.encode(String.valueOf(ch));
                    return true;
                } catch (IOException | IllegalArgumentException e) {
                    return false;
                }
            });
            out.append(ok ? c : '?');
        }
        return out.toString();
    }
}
