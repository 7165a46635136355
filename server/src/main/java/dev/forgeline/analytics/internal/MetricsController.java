package dev.forgeline.analytics.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;
import dev.forgeline.analytics.Metrics;
import dev.forgeline.analytics.Metrics.Filter;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;

/**
 * The metrics of an organisation. Every member reads the organisation's and their teams' aggregates and their
 * own figures; managers read their teams' people too, admins and owners everyone's. A repository is read as its
 * pages are (in a course, only by its own group and teachers). Whatever the caller may not
 * read answers 404, as if it did not exist.
 */
@RestController
@RequestMapping("/api/v1/orgs/{org}/metrics")
@Access(Rule.ORG_MEMBER)
class MetricsController {

    private final Metrics metrics;
    private final OrganisationDirectory directory;

    MetricsController(Metrics metrics, OrganisationDirectory directory) {
        this.metrics = metrics;
        this.directory = directory;
    }

    @GetMapping("/summary")
    Metrics.Summary summary(OrgAccess access, @ParameterObject Query query) {
        return read(access, query, metrics::summary);
    }

    @GetMapping("/cycle-time")
    Metrics.CycleTime cycleTime(OrgAccess access, @ParameterObject Query query) {
        return read(access, query, metrics::cycleTime);
    }

    @GetMapping("/dora")
    Metrics.Dora dora(OrgAccess access, @ParameterObject Query query) {
        return read(access, query, metrics::dora);
    }

    @GetMapping("/daily")
    java.util.List<Metrics.Day> daily(OrgAccess access, @ParameterObject Query query) {
        return read(access, query, metrics::daily);
    }

    @GetMapping("/reliability")
    Metrics.Reliability reliability(OrgAccess access, @ParameterObject Query query) {
        Metrics.Reliability reliability = read(access, query, metrics::reliability);
        // The score of a team or the organisation is an aggregate anyone there may see; each person's is theirs.
        return new Metrics.Reliability(reliability.window(), reliability.score(),
                reliability.people().stream().filter(p -> access.mayReadPerson(p.accountId())).toList());
    }

    /** The filters every metrics route takes, all optional, bound from the query string. */
    record Query(String team, String person, String repository, String from, String to) {
    }

    private <T> T read(OrgAccess access, Query query, BiFunction<Long, Filter, T> metric) {
        String team = query.team();
        String person = query.person();
        String repository = query.repository();
        long org = access.organisation().id();
        Long teamId = null;
        Long personId = null;
        if (team != null && person != null) {
            throw badRequest("give a team or a person, not both");
        }
        if (team != null) {
            Team found = directory.of(org).team(team).orElseThrow(MetricsController::notFound);
            if (!access.mayReadTeam(found.id())) {
                throw notFound();
            }
            teamId = found.id();
        } else if (person != null) {
            Person found = directory.of(org).person(person).orElseThrow(MetricsController::notFound);
            if (!access.mayReadPerson(found.accountId())) {
                throw notFound();
            }
            personId = found.accountId();
        }
        Long repositoryId = null;
        if (repository != null) {
            if (!repository.matches("\\d{1,18}")) {
                throw badRequest("repository must be a repository id");
            }
            repositoryId = Long.parseLong(repository);
            long asked = repositoryId;
            Set<Long> teams = directory.of(org).teamRepositories().entrySet().stream()
                    .filter(e -> e.getValue().contains(asked)).map(Map.Entry::getKey).collect(Collectors.toSet());
            if (!access.mayReadRepository(teams)) {
                throw notFound();
            }
        }
        Filter filter = new Filter(teamId, personId, repositoryId, date("from", query.from()), date("to", query.to()));
        try {
            return metric.apply(org, filter);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        } catch (NoSuchElementException e) {
            throw notFound();
        }
    }

    private static LocalDate date(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw badRequest(name + " must be a date like 2026-11-01");
        }
    }

    static ResponseStatusException badRequest(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }

    static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no such organisation, team, person or repository");
    }
}
