package dev.forgeline.web.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Comparator;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.ingest.ForgeConnections;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;
import dev.forgeline.web.internal.DashboardView.Filters;

/** The organisation overview, a team, a person: what people open every day. */
@Controller
class OverviewPages {

    private final DashboardMetrics metrics;
    private final SetupController setup;
    private final ForgeConnections connections;
    private final Organisations organisations;

    OverviewPages(DashboardMetrics metrics, SetupController setup, ForgeConnections connections, Organisations organisations) {
        this.metrics = metrics;
        this.setup = setup;
        this.connections = connections;
        this.organisations = organisations;
    }

    /** A fresh server leads to setup, then (for an admin) to connecting a forge, then to the caller's organisation. */
    @GetMapping("/")
    @Access(Rule.PUBLIC)
    String home() {
        if (setup.pending()) {
            return "redirect:/setup";
        }
        Caller caller = Caller.current().orElse(null);
        if (caller == null) {
            return "redirect:/login";
        }
        boolean admin = Pages.isAdmin();
        if (admin && connections.all().isEmpty()) {
            return "redirect:/connect";
        }
        return organisations.all().stream()
                .filter(o -> organisations.roleOf(caller, o.id()).isPresent())
                .min(Comparator.comparing(Organisation::name))
                .map(o -> "redirect:/orgs/" + o.slug())
                .orElse(admin ? "redirect:/admin/connections" : "empty");
    }

    @GetMapping("/orgs/{org}")
    @Access(Rule.ORG_MEMBER)
    String overview(OrgAccess access, @RequestParam(required = false) String team,
                    @RequestParam(required = false) Long repository, @RequestParam(required = false) String from,
                    @RequestParam(required = false) String to, Model model) {
        Filters filters = filters(team, repository, from, to);
        if (filters.team() != null) {
            Team chosen = organisations.team(access.organisation().id(), filters.team())
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no team " + filters.team()));
            if (!access.mayReadTeam(chosen.id())) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN, "you may not see team " + chosen.slug());
            }
        }
        if (filters.repository() != null) {
            if (metrics.repositories(access.organisation().id()).stream().noneMatch(r -> r.id() == filters.repository())) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no repository " + filters.repository() + " here");
            }
            if (!metrics.readable(access).test(filters.repository())) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN, "you may not see repository " + filters.repository());
            }
        }
        model.addAttribute("filters", filters);
        var view = metrics.overview(access, filters);
        model.addAttribute("view", view);
        model.addAttribute("empty", view.isEmpty());
        model.addAttribute("org", access.organisation().slug());
        model.addAttribute("repositories", metrics.readableRepositories(access));
        model.addAttribute("canManage", access.atLeast(OrgRole.ADMIN));
        // Reports on every team are for managers and above; others ask for their team's on its page.
        model.addAttribute("canReport", access.atLeast(OrgRole.MANAGER));
        model.addAttribute("courseOrg", access.organisation().kind() == Organisation.Kind.COURSE);
        return "overview";
    }

    @GetMapping("/orgs/{org}/teams/{team}")
    @Access(Rule.ORG_MEMBER)
    String team(OrgAccess access, @PathVariable String team, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, Model model) {
        Filters filters = filters(null, null, from, to);
        Team found = organisations.team(access.organisation().id(), team)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no team " + team));
        if (!access.mayReadTeam(found.id())) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "you may not see team " + team);
        }
        model.addAttribute("filters", filters);
        model.addAttribute("view", metrics.team(access, found, filters));
        model.addAttribute("org", access.organisation().slug());
        return "team";
    }

    @GetMapping("/orgs/{org}/people/{account}")
    @Access(Rule.ORG_MEMBER)
    String person(OrgAccess access, @PathVariable long account, @RequestParam(required = false) String from,
                  @RequestParam(required = false) String to, Model model) {
        Filters filters = filters(null, null, from, to);
        Person person = organisations.people(access.organisation().id()).stream().filter(p -> p.accountId() == account)
                .findFirst().orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no person " + account + " here"));
        if (!access.mayReadPerson(account)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "only this person, their managers and admins see this page");
        }
        model.addAttribute("filters", filters);
        model.addAttribute("view", metrics.person(access, person, filters));
        model.addAttribute("org", access.organisation().slug());
        return "person";
    }

    private static Filters filters(String team, Long repository, String from, String to) {
        LocalDate start = date(from, "from");
        LocalDate end = date(to, "to");
        if (start != null && end != null && start.isAfter(end)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "from must not be after to");
        }
        return Filters.of(team == null || team.isBlank() ? null : team, repository, start, end);
    }

    private static LocalDate date(String text, String name) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " must be a date like 2026-01-31");
        }
    }
}
