package dev.forgeline.reports.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.jobs.Jobs;
import dev.forgeline.platform.Access;

/**
 * Requests a report (answered 202 with its id; a low-priority job generates it) and fetches it: its status while it
 * is being made, the file once ready. A team's report is for whoever may see the team; course and organisation
 * reports are for teachers (managers) and above, and show a manager only the teams they may see. A report shows the
 * own figures only of the people its requester may read.
 */
@RestController
@Access(Access.Rule.ORG_MEMBER)
@RequestMapping("/api/v1/orgs/{org}/reports")
class ReportController {

    static final int MAX_DAYS = 366;
    private static final Set<String> FORMATS = Set.of("csv", "pdf");

    private final ReportStore reports;
    private final Organisations organisations;
    private final Jobs jobs;
    private final TransactionTemplate transaction;

    ReportController(ReportStore reports, Organisations organisations, Jobs jobs, TransactionTemplate transaction) {
        this.reports = reports;
        this.organisations = organisations;
        this.jobs = jobs;
        this.transaction = transaction;
    }

    record NewReport(String scope, String team, String from, String to, String format) {
    }

    record ReportStatus(long id, String scope, String team, LocalDate from, LocalDate to, String format, String status,
                  Instant requestedAt, Instant finishedAt, String error, String url) {
    }

    @PostMapping
    ResponseEntity<ReportStatus> request(OrgAccess access, @RequestBody(required = false) NewReport body) {
        if (body == null) {
            throw bad("give scope, from, to and format, e.g. {\"scope\":\"team\",\"team\":\"team-a\",\"from\":\"2026-10-01\",\"to\":\"2026-10-31\",\"format\":\"pdf\"}");
        }
        Organisation organisation = access.organisation();
        String scope = body.scope() == null ? null : body.scope().strip().toLowerCase(Locale.ROOT);
        Team team = null;
        switch (scope == null ? "" : scope) {
            case "team" -> {
                if (body.team() == null || body.team().isBlank()) {
                    throw bad("a team report needs \"team\": the team's slug");
                }
                team = organisations.team(organisation.id(), body.team().strip()).filter(t -> access.mayReadTeam(t.id()))
                        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no team '" + body.team() + "'"));
            }
            case "course", "organisation" -> {
                if (scope.equals("course") && organisation.kind() != Organisation.Kind.COURSE) {
                    throw bad("'" + organisation.slug() + "' is not a course: ask for an organisation report");
                }
                if (!access.atLeast(OrgRole.MANAGER)) {
                    throw new ResponseStatusException(HttpStatus.FORBIDDEN, "only " + OrgRole.MANAGER.title(organisation.kind()).toLowerCase(Locale.ROOT)
                            + "s and above may report on every team");
                }
            }
            default -> throw bad("scope must be team, course or organisation");
        }
        LocalDate from = date("from", body.from());
        LocalDate to = date("to", body.to());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (to.isBefore(from)) {
            throw bad("to must not be before from");
        }
        if (from.isAfter(today)) {
            throw bad("from must not be in the future");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw bad("a report covers at most " + MAX_DAYS + " days");
        }
        String format = body.format() == null ? "" : body.format().strip().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw bad("format must be csv or pdf");
        }
        Long teamId = team == null ? null : team.id();
        // A manager's course report shows the teams they may see, as the compliance API does; admins and owners see all.
        String teamIds = team != null || access.atLeast(OrgRole.ADMIN) ? null : organisations.teams(organisation.id()).stream()
                .filter(t -> access.mayReadTeam(t.id())).map(t -> Long.toString(t.id())).collect(Collectors.joining(","));
        Set<Long> people = people(access, team, teamIds);
        long id = transaction.execute(tx -> {
            long created = reports.create(organisation.id(), scope, teamId, teamIds, people, from, to, format, access.caller().accountId());
            jobs.enqueueNew(ReportGeneration.JOB, "report-" + created, Long.toString(created));
            return created;
        });
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(status(access, reports.find(organisation.id(), id).orElseThrow()));
    }

    /** The file once ready (200, with its name); before that the status (202), or the reason it failed (200). */
    @GetMapping("/{id}")
    ResponseEntity<?> report(OrgAccess access, @PathVariable long id) {
        ReportStore.Report report = reports.find(access.organisation().id(), id).filter(r -> mayRead(access, r))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no report " + id));
        return switch (report.status()) {
            case "ready" -> {
                byte[] content = reports.content(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no report " + id));
                MediaType type = "pdf".equals(report.format()) ? MediaType.APPLICATION_PDF : new MediaType("text", "csv", StandardCharsets.UTF_8);
                yield ResponseEntity.ok().contentType(type)
                        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(report.fileName()).build().toString())
                        .body(content);
            }
            case "failed" -> ResponseEntity.ok(status(access, report));
            default -> ResponseEntity.status(HttpStatus.ACCEPTED).body(status(access, report));
        };
    }

    /**
     * The people of the report's scope whose own figures the caller may read, as the metrics API decides: a team's
     * members, the members of the teams a manager may see, or everyone for admins and owners.
     */
    private Set<Long> people(OrgAccess access, Team team, String teamIds) {
        long organisation = access.organisation().id();
        Set<Long> candidates;
        if (team != null) {
            candidates = organisations.teamMembers(team.id());
        } else if (teamIds == null) {
            candidates = organisations.people(organisation).stream().map(Person::accountId).collect(Collectors.toSet());
        } else {
            candidates = ReportStore.ids(teamIds).stream().flatMap(t -> organisations.teamMembers(t).stream()).collect(Collectors.toSet());
        }
        return candidates.stream().filter(access::mayReadPerson).collect(Collectors.toSet());
    }

    /**
     * Its requester; otherwise, for a team's report whoever may see the team, for the others admins and owners —
     * provided they may also read each person whose own figures it shows.
     */
    private boolean mayRead(OrgAccess access, ReportStore.Report report) {
        if (report.requestedBy() == access.caller().accountId()) {
            return true;
        }
        return (report.teamId() != null ? access.mayReadTeam(report.teamId()) : access.atLeast(OrgRole.ADMIN))
                && report.people().stream().allMatch(access::mayReadPerson);
    }

    private ReportStatus status(OrgAccess access, ReportStore.Report report) {
        String team = report.teamId() == null ? null : organisations.teams(report.organisationId()).stream()
                .filter(t -> t.id() == report.teamId()).map(Team::slug).findFirst().orElse(null);
        return new ReportStatus(report.id(), report.scope(), team, report.from(), report.to(), report.format(), report.status(),
                report.requestedAt(), report.finishedAt(), report.error(),
                "/api/v1/orgs/" + access.organisation().slug() + "/reports/" + report.id());
    }

    private static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            throw bad(field + " is required: a date such as 2026-10-01");
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw bad(field + " must be a date such as 2026-10-01, not '" + value + "'");
        }
    }

    private static ResponseStatusException bad(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }
}
