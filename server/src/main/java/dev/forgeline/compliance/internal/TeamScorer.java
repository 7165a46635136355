package dev.forgeline.compliance.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import dev.forgeline.compliance.internal.ScoreStore.TeamResult;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.platform.ForgelineProperties;

/**
 * Scores one team: its repositories' facts over its period, its roster from the organisation's people, the rules
 * and signals. A team is scored from its first activity in the window (84 days by default) until now, so that a
 * team which started three weeks ago is judged on three weeks.
 */
@Component
class TeamScorer {

    private final Organisations organisations;
    private final TeamFactStore facts;
    private final Duration window;

    TeamScorer(Organisations organisations, TeamFactStore facts, ForgelineProperties settings) {
        this.organisations = organisations;
        this.facts = facts;
        this.window = settings.compliance().window();
    }

    /** What a team's scores rest on besides its facts: its repositories and members. */
    String basis(Team team) {
        return basis(organisations.teamRepositories(team.id()), organisations.teamMembers(team.id()));
    }

    private static String basis(Set<Long> repositories, Set<Long> members) {
        return "repositories:" + repositories.stream().sorted().map(String::valueOf).collect(Collectors.joining(","))
                + ";members:" + members.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The team's result over its own period ending now. */
    TeamResult score(Team team, Instant now) {
        Set<Long> repositories = organisations.teamRepositories(team.id());
        Instant windowStart = now.minus(window);
        TeamFacts teamFacts = facts.load(repositories, windowStart, now);
        Instant first = Stream.of(
                        teamFacts.commits().stream().map(TeamFacts.Commit::authoredAt),
                        teamFacts.issues().stream().map(TeamFacts.Issue::createdAt),
                        teamFacts.mergeRequests().stream().map(TeamFacts.MergeRequest::createdAt),
                        teamFacts.pipelines().stream().map(TeamFacts.Pipeline::createdAt))
                .flatMap(s -> s).filter(Objects::nonNull).min(Instant::compareTo).orElse(windowStart);
        Instant from = first.truncatedTo(ChronoUnit.DAYS);
        if (from.isBefore(windowStart)) {
            from = windowStart;
        }
        if (!from.isBefore(now)) {
            from = now.minus(Duration.ofDays(1)); // scored exactly at midnight on the day's first activity
        }
        return evaluate(team, repositories, teamFacts, new Period(from, now), now);
    }

    /** The team's result over a given period (reports), not stored. */
    TeamResult score(Team team, Period period, Instant now) {
        Set<Long> repositories = organisations.teamRepositories(team.id());
        return evaluate(team, repositories, facts.load(repositories, period.from(), period.to()), period, now);
    }

    private TeamResult evaluate(Team team, Set<Long> repositories, TeamFacts teamFacts, Period period, Instant now) {
        Set<Long> members = organisations.teamMembers(team.id());
        Roster roster = roster(team, members, teamFacts);
        return new TeamResult(team.id(), team.organisationId(), basis(repositories, members), period, now, RuleScoring.score(teamFacts, roster, period),
                GamingSignals.detect(teamFacts, roster, period));
    }

    /** The team's members with their forge logins and emails; without members, each commit author counts as one. */
    Roster roster(Team team, Set<Long> members, TeamFacts teamFacts) {
        Map<Long, String> names = new LinkedHashMap<>();
        Map<String, Long> aliases = new HashMap<>();
        if (!members.isEmpty()) {
            List<Person> people = organisations.people(team.organisationId());
            for (Person person : people) {
                if (!members.contains(person.accountId())) {
                    continue;
                }
                names.put(person.accountId(), person.username());
                aliases.put(person.username(), person.accountId());
                for (ForgeIdentity identity : person.identities()) {
                    if (identity.login() != null) {
                        aliases.put(identity.login(), person.accountId());
                    }
                    if (identity.email() != null) {
                        aliases.put(identity.email(), person.accountId());
                    }
                }
            }
            members.forEach(member -> names.putIfAbsent(member, "#" + member));
            return Roster.of(names, aliases);
        }
        long next = -1;
        for (TeamFacts.Commit commit : teamFacts.commits()) {
            String key = Stream.of(commit.authorLogin(), commit.authorEmail(), commit.authorName())
                    .filter(s -> s != null && !s.isBlank()).findFirst().orElse(null);
            if (key != null && !aliases.containsKey(key.toLowerCase(Locale.ROOT))) {
                names.put(next, commit.authorName() != null ? commit.authorName() : key);
                aliases.put(key.toLowerCase(Locale.ROOT), next--);
            }
        }
        return Roster.of(names, aliases);
    }
}
