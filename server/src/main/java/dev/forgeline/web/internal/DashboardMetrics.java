package dev.forgeline.web.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.forgeline.web.internal.DashboardView.Filters;
import dev.forgeline.web.internal.DashboardView.Overview;
import dev.forgeline.web.internal.DashboardView.PersonPage;
import dev.forgeline.web.internal.DashboardView.TeamPage;
import dev.forgeline.web.internal.DashboardView.TeamRow;

/**
 * The one place the dashboard reads metrics, teams and people from: analytics (DORA, cycle time, throughput,
 * alerts, reliability), compliance (course rules) and identity (organisations, teams, who may see whom).
 * Until those modules answer, it reads nothing and the pages show their empty state.
 */
@Component
class DashboardMetrics {

    Overview overview(String organisation, Filters filters) {
        return new Overview(organisation, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    List<TeamRow> teams(String organisation) {
        return List.of();
    }

    /** Empty when there is no such team, or the caller may not see it. */
    Optional<TeamPage> team(String organisation, String team, Filters filters) {
        return Optional.empty();
    }

    /** Empty when there is no such person, or the caller may not see them (self, their managers and admins may). */
    Optional<PersonPage> person(String organisation, long accountId, Filters filters) {
        return Optional.empty();
    }

    /** The organisation to open when none is named: the caller's first. */
    Optional<String> defaultOrganisation() {
        return Optional.empty();
    }
}
