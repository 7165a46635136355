package dev.forgeline.reports;

import java.util.List;

/**
 * A part of every report, contributed by a module as a Spring bean: the tables it has for a scope and date range.
 * Sections run in a low-priority job, so they may compute what they need rather than only read stored views.
 */
public interface ReportSection {

    /** Where the section goes in a report: lower first. */
    default int order() {
        return 100;
    }

    /** The section's tables for the scope; none when it has nothing to say about it. */
    List<ReportTable> tables(ReportScope scope);
}
