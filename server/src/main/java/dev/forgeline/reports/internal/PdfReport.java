package dev.forgeline.reports.internal;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * bar chart when it has one. Uses the standard Helvetica fonts, so characters outside WinAnsi print as "?".
 */
final class PdfReport {

    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 40;
    private static final float FONT_SIZE = 8;
    private static final float ROW_HEIGHT = 14;
    private static final float PADDING = 4;
    private static final float CHART_HEIGHT = 150;
    private static final Color HEADER = new Color(230, 233, 240);
    private static final Color RULE = new Color(200, 204, 212);
    private static final Color BAR = new Color(60, 110, 190);
    private static final Color GOOD = new Color(46, 150, 80);
    private static final Color WARNING = new Color(230, 160, 30);
    private static final Color BAD = new Color(200, 60, 50);

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
                pdf.table(table);
                if (table.chart() != null && !table.chart().bars().isEmpty()) {
                    pdf.chart(table.chart());
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

    private void table(ReportTable table) throws IOException {
        ensure(20 + 2 * ROW_HEIGHT);
        text(table.title(), bold, 12, MARGIN, y);
        y -= 10;
        float[] widths = widths(table);
        header(table, widths);
        for (int r = 0; r < table.rows().size(); r++) {
            if (y - ROW_HEIGHT < MARGIN) {
                newPage();
                header(table, widths);
            }
            row(table.rows().get(r), widths, regular);
        }
        y -= 20;
    }

    private void header(ReportTable table, float[] widths) throws IOException {
        float total = 0;
        for (float w : widths) {
            total += w;
        }
        page.setNonStrokingColor(HEADER);
        page.addRect(MARGIN, y - ROW_HEIGHT, total, ROW_HEIGHT);
        page.fill();
        page.setNonStrokingColor(Color.BLACK);
        row(table.columns(), widths, bold);
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
        page.setStrokingColor(RULE);
        page.setLineWidth(0.5f);
        page.moveTo(MARGIN, y);
        page.lineTo(MARGIN + total, y);
        page.stroke();
    }

    /** Each column as wide as its widest cell; when they do not fit the page, the widest are narrowed to a common cap. */
    private float[] widths(ReportTable table) throws IOException {
        float[] widths = new float[table.columns().size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = width(table.columns().get(i), bold, FONT_SIZE);
            for (List<String> row : table.rows()) {
                widths[i] = Math.max(widths[i], width(row.get(i), regular, FONT_SIZE));
            }
            widths[i] += 2 * PADDING;
        }
        float available = PAGE.getWidth() - 2 * MARGIN;
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
