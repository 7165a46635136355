package dev.forgeline.analytics.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.forgeline.activity.ActivityRecorded;
import dev.forgeline.activity.Repositories;
import dev.forgeline.activity.RepositoryRef;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.OrganisationsChanged;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.TransactionScoped;

/**
 * Who and what an organisation's metrics cover: its repositories, its people with the forge identities analytics
 * keys them by, its teams with their members and repositories. Every metrics read needs all of it, and reading it
 * costs more queries than the metric itself, so it is kept per organisation. An entry is dropped when identity
 * announces a change (after its commit), when an event comes from a repository the entry does not know, and at
 * the latest after forgeline.analytics.directory-ttl, for changes made in another process. Its {@link Version}
 * tells kept metrics answers whether anything they were computed from has changed since, as far as this process
 * knows.
 */
@Component
class OrganisationDirectory {

    /** One organisation's directory; every collection is read-only. */
    record Directory(long organisationId, Set<Long> connections, Set<Long> repositories, List<Person> people,
                     Map<Long, Set<String>> actorsOf, List<Team> teams, Map<Long, Set<Long>> teamMembers,
                     Map<Long, Set<Long>> teamRepositories, long loadedAt) {

        Optional<Team> team(long teamId) {
            return teams.stream().filter(t -> t.id() == teamId).findFirst();
        }

        Optional<Team> team(String slug) {
            return teams.stream().filter(t -> t.slug().equals(slug)).findFirst();
        }

        Optional<Person> person(long accountId) {
            return people.stream().filter(p -> p.accountId() == accountId).findFirst();
        }

        /** By username, or by account id written as a number. */
        Optional<Person> person(String usernameOrId) {
            return people.stream()
                    .filter(p -> p.username().equals(usernameOrId) || Long.toString(p.accountId()).equals(usernameOrId))
                    .findFirst();
        }

        Set<Long> members(long teamId) {
            return teamMembers.getOrDefault(teamId, Set.of());
        }
    }

    private final Organisations organisations;
    private final Repositories repositories;
    private final long ttlNanos;
    private final Map<Long, Directory> entries = new ConcurrentHashMap<>();
    // Bumped by every drop: a load that began before a drop must not store what it read.
    private final AtomicLong generation = new AtomicLong();
    // Per organisation, bumped when an event of one of its repositories was recorded here.
    private final Map<Long, Long> recorded = new ConcurrentHashMap<>();

    /** Changes when anything a metric of the organisation reads may have changed, as far as this process knows. */
    record Version(long generation, long recorded) {
    }

    OrganisationDirectory(Organisations organisations, Repositories repositories, ForgelineProperties settings) {
        this.organisations = organisations;
        this.repositories = repositories;
        this.ttlNanos = settings.analytics().directoryTtl().toNanos();
    }

    Directory of(long organisationId) {
        Directory cached = entries.get(organisationId);
        if (cached != null && System.nanoTime() - cached.loadedAt() < ttlNanos) {
            return cached;
        }
        long before = generation.get();
        Directory loaded = load(organisationId);
        if (generation.get() == before) { // kept even without a ttl: events find their organisations through it
            entries.put(organisationId, loaded);
            if (generation.get() != before) {
                entries.remove(organisationId, loaded);
            }
        }
        return loaded;
    }

    private Directory load(long organisationId) {
        Set<Long> connections = Set.copyOf(organisations.connections(organisationId));
        Set<Long> repos = new HashSet<>();
        for (RepositoryRef r : repositories.ofConnections(connections)) {
            repos.add(r.id());
        }
        List<Person> people = organisations.people(organisationId);
        Map<Long, Set<String>> actorsOf = new HashMap<>();
        for (Person p : people) {
            actorsOf.put(p.accountId(), Set.copyOf(MetricsReader.actors(p)));
        }
        List<Team> teams = List.copyOf(organisations.teams(organisationId));
        Map<Long, Set<Long>> members = new HashMap<>();
        Map<Long, Set<Long>> teamRepositories = new HashMap<>();
        for (Team t : teams) {
            members.put(t.id(), Set.copyOf(organisations.teamMembers(t.id())));
            teamRepositories.put(t.id(), Set.copyOf(organisations.teamRepositories(t.id())));
        }
        return new Directory(organisationId, connections, Set.copyOf(repos), List.copyOf(people), Map.copyOf(actorsOf), teams,
                Map.copyOf(members), Map.copyOf(teamRepositories), System.nanoTime());
    }

    Version version(long organisationId) {
        return new Version(generation.get(), recorded.getOrDefault(organisationId, 0L));
    }

    void forget(Long organisationId) {
        generation.incrementAndGet();
        if (organisationId == null) {
            entries.clear();
        } else {
            entries.remove(organisationId);
        }
    }

    /** Drops everything once the current transaction commits (at once outside one): after a recompute. */
    void forgetAllAfterCommit() {
        TransactionScoped.afterCommit(() -> forget(null));
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(OrganisationsChanged changed) {
        forget(changed.organisationId());
    }

    /**
     * The organisations that own the event's connection have new figures; a repository seen for the first time
     * belongs to them from now on.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void on(ActivityRecorded event) {
        for (Directory d : entries.values()) {
            if (d.connections().contains(event.connectionId())) {
                recorded.merge(d.organisationId(), 1L, Long::sum);
                if (!d.repositories().contains(event.repositoryId())) {
                    forget(d.organisationId());
                }
            }
        }
    }
}
