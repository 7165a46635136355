package dev.forgeline.web.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.forgeline.activity.Repositories;
import dev.forgeline.activity.RepositoryRef;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.web.internal.DashboardView.Filters;
import dev.forgeline.web.internal.DashboardView.Member;
import dev.forgeline.web.internal.DashboardView.Option;
import dev.forgeline.web.internal.DashboardView.Overview;
import dev.forgeline.web.internal.DashboardView.PersonPage;
import dev.forgeline.web.internal.DashboardView.TeamPage;
import dev.forgeline.web.internal.DashboardView.TeamRow;

/**
 * The one place the dashboard reads metrics from: DORA, cycle time, throughput, alerts and reliability
 * (analytics) and the course rules (compliance). Organisations, teams and people come from identity.
 * Until the metrics modules answer, the metric parts are empty and the pages show their empty state.
 * Access is decided by the caller (OrgAccess) before any of these is asked.
 */
@Component
class DashboardMetrics {

    private final Organisations organisations;
    private final Repositories repositories;

    DashboardMetrics(Organisations organisations, Repositories repositories) {
        this.organisations = organisations;
        this.repositories = repositories;
    }

    Overview overview(OrgAccess access, Filters filters) {
        long org = access.organisation().id();
        List<Option> teams = organisations.teams(org).stream().filter(t -> access.mayReadTeam(t.id()))
                .map(t -> new Option(t.slug(), t.name())).toList();
        return new Overview(access.organisation().name(), List.of(), teams, repositoryOptions(org), List.of(), List.of(),
                List.of(), List.of(), List.of());
    }

    List<RepositoryRef> repositories(long organisationId) {
        return repositories.ofConnections(organisations.connections(organisationId));
    }

    private List<Option> repositoryOptions(long organisationId) {
        return repositories(organisationId).stream().map(r -> new Option(Long.toString(r.id()), r.fullName())).toList();
    }

    TeamPage team(OrgAccess access, Team team, Filters filters) {
        long org = access.organisation().id();
        Set<Long> memberIds = organisations.teamMembers(team.id());
        List<Person> people = organisations.people(org);
        List<Member> members = people.stream().filter(p -> memberIds.contains(p.accountId()))
                .sorted(Comparator.comparing(Person::displayName))
                .map(p -> new Member(p.accountId(), p.displayName(), p.role().title(access.organisation().kind()))).toList();
        List<TeamRow> others = organisations.teams(org).stream().filter(t -> access.mayReadTeam(t.id()))
                .map(t -> new TeamRow(t.slug(), t.name(), "unknown", organisations.teamMembers(t.id()).size())).toList();
        return new TeamPage(access.organisation().name(), team.slug(), team.name(), "unknown", List.of(), members,
                List.of(), List.of(), others);
    }

    PersonPage person(OrgAccess access, Person person, Filters filters) {
        return new PersonPage(access.organisation().name(), person.accountId(), person.displayName(), List.of(), 0,
                List.of(), List.of(), List.of());
    }
}
