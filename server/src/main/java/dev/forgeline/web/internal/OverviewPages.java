package dev.forgeline.web.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.ingest.ForgeConnections;
import dev.forgeline.web.internal.DashboardView.Filters;

/** The organisation overview, a team, a person: what people open every day. */
@Controller
class OverviewPages {

    private final DashboardMetrics metrics;
    private final SetupController setup;
    private final ForgeConnections connections;

    OverviewPages(DashboardMetrics metrics, SetupController setup, ForgeConnections connections) {
        this.metrics = metrics;
        this.setup = setup;
        this.connections = connections;
    }

    /** A fresh server leads to setup, then (for an admin) to connecting a forge. */
    @GetMapping("/")
    String home() {
        if (setup.pending()) {
            return "redirect:/setup";
        }
        Pages.requireSignedIn();
        boolean admin = Pages.isAdmin();
        if (admin && connections.all().isEmpty()) {
            return "redirect:/connect";
        }
        return metrics.defaultOrganisation().map(org -> "redirect:/orgs/" + org).orElse(admin ? "redirect:/admin/connections" : "empty");
    }

    @GetMapping("/orgs/{org}")
    String overview(@PathVariable String org, @RequestParam(required = false) String team,
                    @RequestParam(required = false) Long repository, @RequestParam(required = false) String from,
                    @RequestParam(required = false) String to, Model model) {
        Pages.requireSignedIn();
        Filters filters = filters(team, repository, from, to);
        model.addAttribute("filters", filters);
        model.addAttribute("view", metrics.overview(org, filters));
        model.addAttribute("org", org);
        return "overview";
    }

    @GetMapping("/orgs/{org}/teams/{team}")
    String team(@PathVariable String org, @PathVariable String team, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, Model model) {
        Pages.requireSignedIn();
        Filters filters = filters(null, null, from, to);
        model.addAttribute("filters", filters);
        model.addAttribute("view", metrics.team(org, team, filters)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no team " + team + " you can see")));
        model.addAttribute("org", org);
        return "team";
    }

    @GetMapping("/orgs/{org}/people/{account}")
    String person(@PathVariable String org, @PathVariable long account, @RequestParam(required = false) String from,
                  @RequestParam(required = false) String to, Model model) {
        Pages.requireSignedIn();
        Filters filters = filters(null, null, from, to);
        model.addAttribute("filters", filters);
        model.addAttribute("view", metrics.person(org, account, filters)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no person " + account + " you can see")));
        model.addAttribute("org", org);
        return "person";
    }

    private static Filters filters(String team, Long repository, String from, String to) {
        LocalDate start = date(from, "from");
        LocalDate end = date(to, "to");
        if (start != null && end != null && start.isAfter(end)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "from must not be after to");
        }
        return new Filters(team == null || team.isBlank() ? null : team, repository, start, end);
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
