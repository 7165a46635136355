package dev.forgeline.reports.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Team;
import dev.forgeline.jobs.JobDeadLettered;
import dev.forgeline.jobs.JobHandler;
import dev.forgeline.jobs.JobPriority;
import dev.forgeline.reports.ReportScope;
import dev.forgeline.reports.ReportSection;
import dev.forgeline.reports.ReportTable;
import dev.forgeline.schema.tables.records.ReportRecord;

/** The low-priority job that builds one requested report from every section and stores the file. */
@Component
class ReportGeneration implements JobHandler {

    static final String JOB = "report-generate";
    private static final Logger log = LoggerFactory.getLogger(ReportGeneration.class);

    private final ReportStore reports;
    private final Organisations organisations;
    private final List<ReportSection> sections;

    ReportGeneration(ReportStore reports, Organisations organisations, List<ReportSection> sections) {
        this.reports = reports;
        this.organisations = organisations;
        this.sections = sections.stream().sorted(Comparator.comparingInt(ReportSection::order)).toList();
    }

    @Override
    public String name() {
        return JOB;
    }

    @Override
    public JobPriority priority() {
        return JobPriority.LOW;
    }

    @Override
    public void run(String payload) {
        long id = Long.parseLong(payload);
        ReportRecord report = reports.record(id).orElse(null);
        if (report == null || "ready".equals(report.getStatus())) {
            return; // deleted by retention meanwhile, or done by an earlier run
        }
        reports.running(id);
        try {
            ReportScope scope = scope(report);
            List<ReportTable> tables = new ArrayList<>();
            sections.forEach(section -> tables.addAll(section.tables(scope)));
            String heading = "Forgeline report: " + scope.organisation().name()
                    + (scope.kind() == ReportScope.Kind.TEAM ? ", " + scope.teams().getFirst().name() : "");
            String subheading = scope.kind().name().toLowerCase(Locale.ROOT) + " report, " + scope.from() + " to " + scope.to()
                    + ", generated " + DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
            boolean pdf = "pdf".equals(report.getFormat());
            byte[] content = pdf ? PdfReport.render(heading, subheading, tables) : CsvReport.render(heading + " (" + subheading + ")", tables);
            reports.ready(id, fileName(scope, report), content);
        } catch (RuntimeException e) {
            reports.attemptFailed(id, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    private ReportScope scope(ReportRecord report) {
        Organisation organisation = organisations.find(report.getOrganisationId())
                .orElseThrow(() -> new IllegalStateException("organisation " + report.getOrganisationId() + " no longer exists"));
        ReportScope.Kind kind = ReportScope.Kind.valueOf(report.getScope().toUpperCase(Locale.ROOT));
        List<Team> teams = organisations.teams(organisation.id());
        if (kind == ReportScope.Kind.TEAM) {
            teams = teams.stream().filter(t -> t.id() == report.getTeamId()).toList();
            if (teams.isEmpty()) {
                throw new IllegalStateException("team " + report.getTeamId() + " no longer exists");
            }
        } else if (report.getTeamIds() != null) {
            Set<Long> visible = ReportStore.ids(report.getTeamIds());
            teams = teams.stream().filter(t -> visible.contains(t.id())).toList();
        }
        LocalDate from = report.getPeriodFrom();
        LocalDate to = report.getPeriodTo();
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant now = Instant.now();
        return new ReportScope(kind, organisation, teams, ReportStore.ids(report.getPersonIds()), from, to, start,
                end.isAfter(now) ? now : end);
    }

    private static String fileName(ReportScope scope, ReportRecord report) {
        String subject = scope.kind() == ReportScope.Kind.TEAM ? scope.organisation().slug() + "-" + scope.teams().getFirst().slug()
                : scope.organisation().slug();
        return "forgeline-" + subject + "-" + scope.from() + "-" + scope.to() + "." + report.getFormat();
    }

    @EventListener
    void on(JobDeadLettered dead) {
        if (dead.job().equals(JOB) && dead.payload() != null) {
            log.warn("report {} could not be generated: {}", dead.payload(), dead.error());
            reports.failed(Long.parseLong(dead.payload()), dead.error());
        }
    }
}
