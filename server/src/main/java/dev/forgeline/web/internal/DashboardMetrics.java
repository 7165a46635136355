package dev.forgeline.web.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import dev.forgeline.activity.Repositories;
import dev.forgeline.analytics.Metrics;
import dev.forgeline.analytics.Metrics.Filter;
import dev.forgeline.compliance.ComplianceScores;
import dev.forgeline.compliance.Rule;
import dev.forgeline.compliance.TeamCompliance;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.activity.RepositoryActivity;
import dev.forgeline.activity.RepositoryRef;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.ReadAccess;
import dev.forgeline.identity.Team;
import dev.forgeline.web.internal.DashboardView.CountWeek;
import dev.forgeline.web.internal.DashboardView.CycleWeek;
import dev.forgeline.web.internal.DashboardView.DoraTile;
import dev.forgeline.web.internal.DashboardView.Filters;
import dev.forgeline.web.internal.DashboardView.Member;
import dev.forgeline.web.internal.DashboardView.Option;
import dev.forgeline.web.internal.DashboardView.Overview;
import dev.forgeline.web.internal.DashboardView.PersonPage;
import dev.forgeline.web.internal.DashboardView.RuleResult;
import dev.forgeline.web.internal.DashboardView.ScoreComponent;
import dev.forgeline.web.internal.DashboardView.TeamPage;
import dev.forgeline.web.internal.DashboardView.TeamRow;
import dev.forgeline.web.internal.DashboardView.WaitingPr;

/**
 * The one place the dashboard reads metrics from: DORA, cycle time, throughput, alerts and reliability
 * (analytics) and the course rules (compliance). Organisations, teams and people come from identity.
 * A part with nothing to show (no merged PR in the window, a team not scored yet) is empty, and the page shows
 * its empty state. Access is decided by the caller (OrgAccess) before any of these is asked.
 */
@Component
class DashboardMetrics {

    static final int WAITING_SHOWN = 10;

    /** Weeks drawn in the cycle-time chart, newest last: each is one indexed read of the merged PRs of a week. */
    static final int CYCLE_WEEKS = 12;
    static final int ALERTS_SHOWN = 10;

    private final Organisations organisations;
    private final Repositories repositories;
    private final RepositoryActivity activity;
    private final Metrics metrics;
    private final ComplianceScores compliance;
    private final ForgelineProperties.Compliance levels;
    private final ReadAccess readAccess;

    DashboardMetrics(Organisations organisations, Repositories repositories, RepositoryActivity activity, Metrics metrics,
                     ComplianceScores compliance, ForgelineProperties settings, ReadAccess readAccess) {
        this.readAccess = readAccess;
        this.organisations = organisations;
        this.repositories = repositories;
        this.activity = activity;
        this.metrics = metrics;
        this.compliance = compliance;
        this.levels = settings.compliance();
    }

    Overview overview(OrgAccess access, Filters filters) {
        long org = access.organisation().id();
        List<Option> teams = organisations.teams(org).stream().filter(t -> access.mayReadTeam(t.id()))
                .map(t -> new Option(t.slug(), t.name())).toList();
        Long teamId = filters.team() == null ? null : organisations.team(org, filters.team()).map(Team::id).orElse(null);
        Filter filter = new Filter(teamId, null, filters.repository(), filters.from(), filters.to());
        List<DoraTile> dora = read(() -> doraTiles(metrics.dora(org, filter))).orElse(List.of());
        return new Overview(access.organisation().name(), List.of(), teams, repositoryOptions(access), dora,
                cycleWeeks(org, filter), throughput(org, filter), alerts(access), waiting(access, filters));
    }

    /** DORA's four keys with their bands (DevLake's benchmarks; docs/metrics.md). */
    static List<DoraTile> doraTiles(Metrics.Dora d) {
        List<DoraTile> tiles = new ArrayList<>();
        tiles.add(new DoraTile("Deployment frequency", String.format("%.1f days a week", d.medianDeploymentDaysPerWeek()),
                d.frequencyBand().name().toLowerCase(java.util.Locale.ROOT),
                d.deployments() + " production deployments on " + d.deploymentDays() + " days"));
        if (d.leadTimeForChangesHours() != null) {
            double h = d.leadTimeForChangesHours();
            tiles.add(new DoraTile("Lead time for changes", hours(h), h < 24 ? "elite" : h < 24 * 7 ? "high" : h < 24 * 30 ? "medium" : "low",
                    "median, first commit to production, over " + d.deployedPullRequests() + " deployed PRs"));
        }
        if (d.changeFailureRate() != null) {
            double rate = d.changeFailureRate();
            tiles.add(new DoraTile("Change failure rate", String.format("%.0f %%", rate * 100),
                    rate <= 0.05 ? "elite" : rate <= 0.10 ? "high" : rate <= 0.15 ? "medium" : "low",
                    d.failedDeployments() + " of " + d.deployments() + " deployments led to an incident"));
        }
        if (d.failedDeploymentRecoveryHours() != null) {
            double h = d.failedDeploymentRecoveryHours();
            tiles.add(new DoraTile("Failed deployment recovery", hours(h), h < 1 ? "elite" : h < 24 ? "high" : h < 24 * 7 ? "medium" : "low",
                    "median over " + d.incidents() + " incidents"));
        }
        return tiles;
    }

    /** The median hours of each cycle-time part for the PRs merged in each of the last weeks of the window. */
    List<CycleWeek> cycleWeeks(long org, Filter filter) {
        LocalDate end = filter.to() != null ? filter.to() : LocalDate.now(ZoneOffset.UTC);
        LocalDate monday = end.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        List<CycleWeek> weeks = new ArrayList<>();
        for (int w = CYCLE_WEEKS - 1; w >= 0; w--) {
            LocalDate from = monday.minusWeeks(w);
            if (filter.from() != null && from.plusDays(6).isBefore(filter.from())) {
                continue;
            }
            Filter week = new Filter(filter.teamId(), filter.personId(), filter.repositoryId(), from, from.plusDays(6));
            read(() -> metrics.cycleTime(org, week)).filter(c -> c.mergedPullRequests() > 0).ifPresent(c ->
                    weeks.add(new CycleWeek(from.toString(), median(c.coding()), median(c.pickup()), median(c.review()), median(c.deploy()))));
        }
        return weeks;
    }

    /** Pull requests merged per week (weeks starting on Monday) in the window. */
    List<CountWeek> throughput(long org, Filter filter) {
        Map<LocalDate, Integer> perWeek = new TreeMap<>();
        for (Metrics.Day day : read(() -> metrics.daily(org, filter)).orElse(List.of())) {
            perWeek.merge(day.day().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), day.prsMerged(), Integer::sum);
        }
        return perWeek.entrySet().stream().map(e -> new CountWeek(e.getKey().toString(), e.getValue())).toList();
    }

    /** Open alerts: a manager and above sees all of them, a developer those about themselves (as the API answers). */
    List<DashboardView.Alert> alerts(OrgAccess access) {
        String slug = access.organisation().slug();
        return read(() -> metrics.alerts(access.organisation().id(), false, ALERTS_SHOWN * 5, 0)).orElse(List.of()).stream()
                .filter(a -> a.readableBy(access))
                .limit(ALERTS_SHOWN)
                .map(a -> new DashboardView.Alert(a.kind(), a.kind().replace('-', ' '), a.evidence(),
                        a.subject().startsWith("person:") ? "/orgs/" + slug + "/people/" + a.subject().substring("person:".length())
                                : "/orgs/" + slug))
                .toList();
    }

    /** A metric the filter cannot give (a repository or team of no data) is shown as nothing, not as an error page. */
    private static <T> Optional<T> read(Supplier<T> metric) {
        try {
            return Optional.ofNullable(metric.get());
        } catch (NoSuchElementException | IllegalArgumentException nothingToShow) {
            return Optional.empty();
        }
    }

    private static double median(Metrics.Span span) {
        return span == null || span.medianHours() == null ? 0 : Math.round(span.medianHours() * 10) / 10.0;
    }

    private static String hours(double hours) {
        return hours < 48 ? String.format("%.1f h", hours) : String.format("%.1f days", hours / 24);
    }

    /** The open pull requests of the view's repositories that have waited longest (from the activity model). */
    List<WaitingPr> waiting(OrgAccess access, Filters filters) {
        long org = access.organisation().id();
        Set<Long> ids = readableRepositories(access).stream().map(RepositoryRef::id).collect(java.util.stream.Collectors.toSet());
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

    /** The organisation's repositories whose work the caller may see ({@link OrgAccess#mayReadRepository}). */
    List<RepositoryRef> readableRepositories(OrgAccess access) {
        LongPredicate readable = readable(access);
        return repositories(access.organisation().id()).stream().filter(r -> readable.test(r.id())).toList();
    }

    /** {@link OrgAccess#mayReadRepository}, with the organisation's repository teams read once. */
    LongPredicate readable(OrgAccess access) {
        if (access.readsEveryRepository()) {
            return id -> true;
        }
        Map<Long, Set<Long>> teams = readAccess.repositoryTeams(access.organisation().id());
        return id -> access.mayReadRepository(teams.getOrDefault(id, Set.of()));
    }

    private List<Option> repositoryOptions(OrgAccess access) {
        return readableRepositories(access).stream().map(r -> new Option(Long.toString(r.id()), r.fullName())).toList();
    }

    TeamPage team(OrgAccess access, Team team, Filters filters) {
        long org = access.organisation().id();
        Set<Long> memberIds = organisations.teamMembers(team.id());
        List<Person> people = organisations.people(org);
        List<Member> members = people.stream().filter(p -> memberIds.contains(p.accountId()))
                .sorted(Comparator.comparing(Person::displayName))
                .map(p -> new Member(p.accountId(), p.displayName(), p.role().title(access.organisation().kind()))).toList();
        List<TeamRow> others = organisations.teams(org).stream().filter(t -> access.mayReadTeam(t.id()))
                .map(t -> new TeamRow(t.slug(), t.name(), light(compliance.latest(t.id())), organisations.teamMembers(t.id()).size()))
                .toList();
        Optional<TeamCompliance> scored = compliance.latest(team.id());
        String evidence = "/api/v1/orgs/" + access.organisation().slug() + "/metrics/compliance?team=" + team.slug();
        List<RuleResult> rules = scored.map(c -> java.util.Arrays.stream(Rule.values()).map(rule -> {
            Integer score = c.rules().get(rule);
            return new RuleResult(rule.name(), rule.title(), score == null ? "unscored" : level(score),
                    score == null ? "nothing to judge it on yet" : score + " of 100", evidence + "#" + rule.name());
        }).toList()).orElse(List.of());
        Filter filter = new Filter(team.id(), null, filters.repository(), filters.from(), filters.to());
        return new TeamPage(access.organisation().name(), team.slug(), team.name(), light(scored), rules, members,
                cycleWeeks(org, filter), throughput(org, filter), others);
    }

    private String light(Optional<TeamCompliance> scored) {
        return scored.map(TeamCompliance::level).orElse("unscored");
    }

    /** The traffic light of one rule's score, by the course's thresholds. */
    private String level(int score) {
        return score >= levels.green() ? "green" : score >= levels.amber() ? "amber" : "red";
    }

    PersonPage person(OrgAccess access, Person person, Filters filters) {
        long org = access.organisation().id();
        Set<Long> teamIds = organisations.teamsOf(org, person.accountId());
        String teams = organisations.teams(org).stream().filter(t -> teamIds.contains(t.id())).map(Team::name)
                .collect(java.util.stream.Collectors.joining(", "));
        String forgeAccounts = person.identities().stream().map(i -> i.provider() + ":" + (i.login() != null ? i.login() : i.email()))
                .collect(java.util.stream.Collectors.joining(", "));
        Filter filter = new Filter(null, person.accountId(), filters.repository(), filters.from(), filters.to());
        List<DashboardView.Figure> figures = new ArrayList<>(List.of(
                new DashboardView.Figure("Role", person.role().title(access.organisation().kind())),
                new DashboardView.Figure("Teams", teams.isEmpty() ? "none" : teams),
                new DashboardView.Figure("Forge accounts", forgeAccounts.isEmpty() ? "none linked" : forgeAccounts)));
        read(() -> metrics.summary(org, filter)).ifPresent(s -> {
            figures.add(new DashboardView.Figure("Pull requests opened / merged", s.prsOpened() + " / " + s.prsMerged()));
            figures.add(new DashboardView.Figure("Reviews given", Integer.toString(s.reviewsGiven())));
            figures.add(new DashboardView.Figure("Commits", Integer.toString(s.commits())));
        });
        Optional<Metrics.Score> score = read(() -> metrics.reliability(org, filter)).map(Metrics.Reliability::score);
        List<ScoreComponent> components = score.map(c -> List.of(
                new ScoreComponent("Merge consistency (30 %)", c.mergeConsistency(), "share of the 8 weeks with a merged PR"),
                new ScoreComponent("Review participation (20 %)", c.reviewParticipation(), "reviews given against the team's average, capped at 1"),
                new ScoreComponent("Merge-time efficiency (25 %)", c.mergeTimeEfficiency(), "1 at a median merge time of 24 h or less, 0 at 7 days"),
                new ScoreComponent("Activity stability (25 %)", c.activityStability(), "1 − coefficient of variation of weekly activity")))
                .orElse(List.of());
        return new PersonPage(access.organisation().name(), person.accountId(), person.displayName(), figures,
                score.map(Metrics.Score::score).orElse(0.0), components, throughput(org, filter), List.of());
    }
}
