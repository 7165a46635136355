package dev.forgeline.identity.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.activity.Activity;
import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.Participants;
import dev.forgeline.activity.Repositories;
import dev.forgeline.activity.RepositoryRef;
import dev.forgeline.audit.Audit;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.identity.internal.GitlabGroupReader.GitlabApiException;
import dev.forgeline.identity.internal.GitlabGroupReader.GroupTree;
import dev.forgeline.identity.internal.GitlabGroupReader.Member;
import dev.forgeline.identity.internal.GitlabGroupReader.Project;
import dev.forgeline.identity.internal.GitlabGroupReader.Subgroup;
import dev.forgeline.identity.internal.GitlabImportStore.Counts;
import dev.forgeline.identity.internal.GitlabImportStore.Import;
import dev.forgeline.ingest.ForgeApiCredentials;
import dev.forgeline.ingest.ForgeApiCredentials.ForgeApi;
import dev.forgeline.jobs.JobDeadLettered;
import dev.forgeline.jobs.JobHandler;
import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.Jobs;

/**
 * Imports a GitLab group into an organisation, as GitPulse's membership sync does for a course: each descendant subgroup
 * becomes a team (found again by its GitLab id, so a rename renames the team), its projects the team's repositories, and
 * its members the team's members — people already linked to the GitLab username, or new people linked to it, without a
 * password. Maintainers and owners (access level 40 and up) are managers (a course's teachers), the others developers.
 * GitLab is read first and everything is applied in one transaction, so a refusal or an outage changes nothing.
 */
@Component
class GitlabGroupImport implements JobHandler {

    static final String JOB = "gitlab-group-import";
    static final int MAINTAINER = 40;
    private static final Logger log = LoggerFactory.getLogger(GitlabGroupImport.class);

    private final GitlabImportStore imports;
    private final GitlabGroupReader gitlab;
    private final ForgeApiCredentials credentials;
    private final Organisations organisations;
    private final Accounts accounts;
    private final Repositories repositories;
    private final Activity activity;
    private final Audit audit;
    private final Jobs jobs;
    private final TransactionTemplate transaction;

    GitlabGroupImport(GitlabImportStore imports, GitlabGroupReader gitlab, ForgeApiCredentials credentials,
                      Organisations organisations, Accounts accounts, Repositories repositories, Activity activity, Audit audit,
                      Jobs jobs, TransactionTemplate transaction) {
        this.imports = imports;
        this.gitlab = gitlab;
        this.credentials = credentials;
        this.organisations = organisations;
        this.accounts = accounts;
        this.repositories = repositories;
        this.activity = activity;
        this.audit = audit;
        this.jobs = jobs;
        this.transaction = transaction;
    }

    @Override
    public String name() {
        return JOB;
    }

    @Override
    public JobPriority priority() {
        return JobPriority.LOW;
    }

    /** Queues a run of the import unless one is queued or running already; in the caller's transaction. */
    void queue(long importId) {
        jobs.enqueueOnce(JOB, "gitlab-import-" + importId, Long.toString(importId));
    }

    /**
     * The connection's API when the organisation owns it and it can read GitLab.
     * @throws ResponseStatusException 404 for a connection of another organisation (or none), 400 for an unusable one
     */
    ForgeApi usableConnection(long organisationId, long connectionId) {
        ForgeApi api = credentials.of(connectionId)
                .filter(c -> organisations.ownerOfConnection(connectionId).map(owner -> owner == organisationId).orElse(false))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no connection " + connectionId));
        if (!"gitlab".equals(api.provider())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "connection " + connectionId + " is a " + api.provider() + " connection: a group import needs a gitlab one");
        }
        if (api.apiToken() == null || api.apiToken().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "connection " + connectionId
                    + " has no API token: give it a GitLab token with the read_api scope");
        }
        try {
            GitlabGroupReader.apiRoot(api.baseUrl());
        } catch (IllegalArgumentException bad) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, bad.getMessage());
        }
        return api;
    }

    @Override
    public void run(String payload) {
        long id = Long.parseLong(payload);
        Import request = imports.find(id).orElse(null);
        if (request == null) {
            return; // its organisation was deleted meanwhile
        }
        transaction.executeWithoutResult(status -> imports.running(id));
        GroupTree tree;
        try {
            ForgeApi api = usableConnection(request.organisationId(), request.connectionId());
            tree = gitlab.read(api.baseUrl(), api.apiToken(), request.group());
        } catch (GitlabApiException | ResponseStatusException refused) {
            String reason = refused instanceof ResponseStatusException status ? status.getReason() : refused.getMessage();
            log.warn("GitLab import {} of group '{}' failed: {}", id, request.group(), reason);
            transaction.executeWithoutResult(status -> imports.failed(id, reason));
            return;
        }
        try {
            transaction.executeWithoutResult(status -> apply(request, tree));
        } catch (RuntimeException e) {
            transaction.executeWithoutResult(status -> imports.failed(id, "applying the group failed: " + e.getMessage()));
            throw e;
        }
    }

    @EventListener
    void on(JobDeadLettered dead) {
        if (dead.job().equals(JOB) && dead.payload() != null) {
            imports.failed(Long.parseLong(dead.payload()), dead.error());
        }
    }

    private void apply(Import request, GroupTree tree) {
        Organisation organisation = organisations.find(request.organisationId()).orElseThrow();
        Set<Long> ownedConnections = organisations.connections(organisation.id());
        Tally tally = new Tally();

        // Everyone once, with the highest access level they have in any subgroup; in username order, so runs agree.
        Map<String, Member> people = new TreeMap<>();
        for (Subgroup subgroup : tree.subgroups()) {
            for (Member member : subgroup.members()) {
                people.merge(member.username(), member, (a, b) -> a.accessLevel() >= b.accessLevel() ? a : b);
            }
        }
        Map<Long, OrgRole> roles = new HashMap<>();
        for (Person person : organisations.people(organisation.id())) {
            roles.put(person.accountId(), person.role());
        }
        Map<String, Long> accountOf = new HashMap<>();
        for (Member member : people.values()) {
            long account = organisations.personOf(organisation.id(), "gitlab", member.username(), null).orElseGet(() -> {
                long created = organisations.createAccount(accounts.freeUsername(member.username()),
                        member.name() == null ? member.username() : clip(member.name(), 200), null);
                organisations.linkIdentity(created, ForgeIdentity.login("gitlab", member.username()));
                tally.peopleCreated++;
                return created;
            });
            accountOf.put(member.username(), account);
            OrgRole wanted = member.accessLevel() >= MAINTAINER ? OrgRole.MANAGER : OrgRole.DEVELOPER;
            OrgRole current = roles.get(account);
            // A sync only ever raises a student to teacher: roles given by hand (admins, owners, a promotion) stay.
            if (current == null || (current == OrgRole.DEVELOPER && wanted == OrgRole.MANAGER)) {
                organisations.addMember(organisation.id(), account, wanted);
            }
        }

        for (Subgroup subgroup : tree.subgroups()) {
            long teamId = team(organisation, request.connectionId(), tree, subgroup, tally);
            List<Participants.User> users = new ArrayList<>();
            Set<Long> members = new HashSet<>();
            for (Member member : subgroup.members()) {
                users.add(new Participants.User(member.username(), member.id(), member.name(), null));
                long account = accountOf.get(member.username());
                members.add(account);
                if (imports.addImportedMember(teamId, account)) {
                    tally.membersAdded++;
                }
            }
            tally.membersRemoved += imports.removeImportedMembers(teamId, members);

            Participants participants = new Participants(new Participants.Namespace(subgroup.group().fullPath(),
                    subgroup.group().id(), "group", subgroup.group().name()), users);
            Set<Long> assigned = new HashSet<>();
            for (Project project : subgroup.projects()) {
                Optional<RepositoryRef> known = repositories.find("gitlab", project.id());
                RepositoryRef repository = known.orElseGet(() -> {
                    tally.repositoriesCreated++;
                    return repositories.register(request.connectionId(), new ForgeEvent.Repo("gitlab", project.id(),
                            project.pathWithNamespace(), project.defaultBranch(), project.webUrl()));
                });
                if (!ownedConnections.contains(repository.connectionId())) {
                    continue; // reported through another organisation's connection: never moved across
                }
                assigned.add(repository.id());
                if (imports.addImportedRepository(teamId, repository.id())) {
                    tally.repositoriesAssigned++;
                }
                activity.record(repository.id(), "gitlab", participants);
            }
            imports.removeImportedRepositories(teamId, assigned);
        }

        Counts counts = tally.counts();
        imports.succeeded(request.id(), tree.root().id(), tree.root().fullPath(), counts);
        if (counts.any()) {
            audit.record("gitlab-import.applied", "organisation", organisation.slug(),
                    "group " + tree.root().fullPath() + ": " + counts);
        }
    }

    /** The team standing for the subgroup: found by the group's id, else adopted by slug, else created. */
    private long team(Organisation organisation, long connectionId, GroupTree tree, Subgroup subgroup, Tally tally) {
        String groupId = subgroup.group().id();
        String fullPath = subgroup.group().fullPath();
        String name = clip(subgroup.group().name() == null ? subgroup.group().path() : subgroup.group().name(), 200);
        String slug = slug(tree.root().fullPath(), subgroup.group());
        var linked = imports.teamOfGroup(organisation.id(), connectionId, groupId);
        if (linked.isPresent()) {
            var team = linked.get();
            boolean pathMoved = !team.fullPath().equals(fullPath);
            String newSlug = pathMoved && organisations.team(organisation.id(), slug).isEmpty() ? slug : team.slug();
            if (!team.name().equals(name) || !team.slug().equals(newSlug)) {
                imports.renameTeam(team.teamId(), newSlug, name);
                tally.teamsUpdated++;
            }
            imports.link(team.teamId(), organisation.id(), connectionId, groupId, fullPath);
            return team.teamId();
        }
        Optional<Team> sameSlug = organisations.team(organisation.id(), slug);
        long teamId;
        if (sameSlug.isPresent() && !imports.linked(sameSlug.get().id())) {
            // A team made by hand before the import: it becomes the subgroup's, members and repositories kept.
            teamId = sameSlug.get().id();
            if (!sameSlug.get().name().equals(name)) {
                imports.renameTeam(teamId, slug, name);
            }
            tally.teamsUpdated++;
        } else {
            String free = sameSlug.isPresent() ? clip(slug, 90) + "-" + groupId : slug;
            teamId = organisations.createTeam(organisation.id(), free, name).id();
            tally.teamsCreated++;
        }
        imports.link(teamId, organisation.id(), connectionId, groupId, fullPath);
        return teamId;
    }

    /** The subgroup's path below the imported group, as a team slug: {@code course/2026/team-a} gives {@code team-a}. */
    static String slug(String rootPath, GitlabGroupReader.Group group) {
        String path = group.fullPath() != null && rootPath != null && group.fullPath().startsWith(rootPath + "/")
                ? group.fullPath().substring(rootPath.length() + 1) : group.path();
        String slug = path == null ? "" : path.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        slug = clip(slug, 100).replaceAll("-+$", "");
        return slug.isEmpty() ? "group-" + group.id() : slug;
    }

    private static String clip(String value, int max) {
        return value.length() > max ? value.substring(0, max) : value;
    }

    private static final class Tally {
        int teamsCreated;
        int teamsUpdated;
        int repositoriesCreated;
        int repositoriesAssigned;
        int peopleCreated;
        int membersAdded;
        int membersRemoved;

        Counts counts() {
            return new Counts(teamsCreated, teamsUpdated, repositoriesCreated, repositoriesAssigned, peopleCreated, membersAdded,
                    membersRemoved);
        }
    }
}
