package dev.forgeline.web.internal;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.forgeline.activity.Repositories;
import dev.forgeline.activity.RepositoryActivity;
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
import dev.forgeline.web.internal.DashboardView.WaitingPr;

/**
 * The one place the dashboard reads metrics from: DORA, cycle time, throughput, alerts and reliability
 * (analytics) and the course rules (compliance). Organisations, teams and people come from identity.
 * Until the metrics modules answer, the metric parts are empty and the pages show their empty state.
 * Access is decided by the caller (OrgAccess) before any of these is asked.
 */
@Component
class DashboardMetrics {

    static final int WAITING_SHOWN = 10;

    private final Organisations organisations;
    private final Repositories repositories;
    private final RepositoryActivity activity;

    DashboardMetrics(Organisations organisations, Repositories repositories, RepositoryActivity activity) {
        this.organisations = organisations;
        this.repositories = repositories;
        this.activity = activity;
    }

    Overview overview(OrgAccess access, Filters filters) {
        long org = access.organisation().id();
        List<Option> teams = organisations.teams(org).stream().filter(t -> access.mayReadTeam(t.id()))
                .map(t -> new Option(t.slug(), t.name())).toList();
        return new Overview(access.organisation().name(), List.of(), teams, repositoryOptions(org), List.of(), List.of(),
                List.of(), List.of(), waiting(access, filters));
    }

    /** The open pull requests of the view's repositories that have waited longest (from the activity model). */
    List<WaitingPr> waiting(OrgAccess access, Filters filters) {
        long org = access.organisation().id();
        Set<Long> ids = repositories(org).stream().map(RepositoryRef::id).collect(java.util.stream.Collectors.toSet());
        if (filters.repository() != null) {
            ids = ids.contains(filters.repository()) ? Set.of(filters.repository()) : Set.of();
        }
        if (filters.team() != null) {
            Set<Long> ofTeam = organisations.team(org, filters.team()).map(t -> organisations.teamRepositories(t.id())).orElse(Set.of());
            ids = ids.stream().filter(ofTeam::contains).collect(java.util.stream.Collectors.toSet());
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return activity.longestWaiting(ids, WAITING_SHOWN).stream().map(p -> new WaitingPr(p.repository(), p.number(), p.title(),
                p.author(), waited(Duration.between(p.waitingSince(), now)) + (p.reviewed() ? "" : ", no review yet"),
                "/orgs/" + access.organisation().slug() + "/repositories/" + p.repositoryId())).toList();
    }

    static String waited(Duration duration) {
        long hours = Math.max(0, duration.toHours());
        return hours < 48 ? hours + " h" : hours / 24 + " days";
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
                .map(t -> new TeamRow(t.slug(), t.name(), "unscored", organisations.teamMembers(t.id()).size())).toList();
        return new TeamPage(access.organisation().name(), team.slug(), team.name(), "unscored", List.of(), members,
                List.of(), List.of(), others);
    }

    PersonPage person(OrgAccess access, Person person, Filters filters) {
        long org = access.organisation().id();
        Set<Long> teamIds = organisations.teamsOf(org, person.accountId());
        String teams = organisations.teams(org).stream().filter(t -> teamIds.contains(t.id())).map(Team::name)
                .collect(java.util.stream.Collectors.joining(", "));
        String forgeAccounts = person.identities().stream().map(i -> i.provider() + ":" + i.login())
                .collect(java.util.stream.Collectors.joining(", "));
        List<DashboardView.Figure> figures = List.of(
                new DashboardView.Figure("Role", person.role().title(access.organisation().kind())),
                new DashboardView.Figure("Teams", teams.isEmpty() ? "none" : teams),
                new DashboardView.Figure("Forge accounts", forgeAccounts.isEmpty() ? "none linked" : forgeAccounts));
        return new PersonPage(access.organisation().name(), person.accountId(), person.displayName(), figures, 0,
                List.of(), List.of(), List.of());
    }
}
