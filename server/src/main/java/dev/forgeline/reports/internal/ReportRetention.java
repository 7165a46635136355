package dev.forgeline.reports.internal;

import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;

/** Deletes reports requested longer ago than {@code forgeline.compliance.report-retention} (7 days by default). */
@Component
class ReportRetention implements RecurringJob {

    private final ReportStore reports;
    private final Duration retention;

    ReportRetention(ReportStore reports, ForgelineProperties settings) {
        this.reports = reports;
        this.retention = settings.compliance().reportRetention();
    }

    @Override
    public String name() {
        return "report-retention";
    }

    @Override
    public String description() {
        return "Deletes generated reports older than the retention period";
    }

    @Override
    public String defaultSchedule() {
        return "0 15 4 * * *";
    }

    @Override
    public void run() {
        reports.deleteRequestedBefore(Instant.now().minus(retention));
    }
}
