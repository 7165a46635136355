package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.ACCOUNT;
import static dev.forgeline.schema.Tables.FORGE_IDENTITY_LINK;
import static dev.forgeline.schema.Tables.MEMBERSHIP;
import static dev.forgeline.schema.Tables.ORGANISATION;
import static dev.forgeline.schema.Tables.ORGANISATION_CONNECTION;
import static dev.forgeline.schema.Tables.ORGANISATION_IDENTITY_LINK;
import static dev.forgeline.schema.Tables.TEAM;
import static dev.forgeline.schema.Tables.TEAM_MEMBER;
import static dev.forgeline.schema.Tables.TEAM_REPOSITORY;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.Record4;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Repository;

import dev.forgeline.identity.Caller;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.OrganisationsChanged;
import dev.forgeline.identity.Person;
import dev.forgeline.identity.Team;
import dev.forgeline.schema.tables.records.OrganisationRecord;

@Repository
class OrganisationStore implements Organisations {

    private final DSLContext db;
    private final ApplicationEventPublisher events;

    OrganisationStore(DSLContext db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
    }

    @Override
    public Optional<Organisation> find(String slug) {
        return db.selectFrom(ORGANISATION).where(ORGANISATION.SLUG.eq(slug)).fetchOptional(OrganisationStore::organisation);
    }

    @Override
    public Optional<Organisation> find(long id) {
        return db.selectFrom(ORGANISATION).where(ORGANISATION.ID.eq(id)).fetchOptional(OrganisationStore::organisation);
    }

    @Override
    public List<Organisation> all() {
        return db.selectFrom(ORGANISATION).orderBy(ORGANISATION.SLUG).fetch(OrganisationStore::organisation);
    }

    @Override
    public Optional<OrgRole> roleOf(Caller caller, long organisationId) {
        if (caller.admin()) {
            return Optional.of(OrgRole.OWNER);
        }
        return db.select(MEMBERSHIP.ROLE).from(MEMBERSHIP)
                .where(MEMBERSHIP.ORGANISATION_ID.eq(organisationId)).and(MEMBERSHIP.ACCOUNT_ID.eq(caller.accountId()))
                .fetchOptional(r -> role(r.value1()));
    }

    @Override
    public List<Team> teams(long organisationId) {
        return db.selectFrom(TEAM).where(TEAM.ORGANISATION_ID.eq(organisationId)).orderBy(TEAM.SLUG)
                .fetch(r -> new Team(r.getId(), r.getOrganisationId(), r.getSlug(), r.getName()));
    }

    @Override
    public Optional<Team> team(long organisationId, String slug) {
        return db.selectFrom(TEAM).where(TEAM.ORGANISATION_ID.eq(organisationId)).and(TEAM.SLUG.eq(slug))
                .fetchOptional(r -> new Team(r.getId(), r.getOrganisationId(), r.getSlug(), r.getName()));
    }

    @Override
    public Set<Long> teamMembers(long teamId) {
        return new HashSet<>(db.select(TEAM_MEMBER.ACCOUNT_ID).from(TEAM_MEMBER).where(TEAM_MEMBER.TEAM_ID.eq(teamId))
                .fetch(TEAM_MEMBER.ACCOUNT_ID));
    }

    @Override
    public Set<Long> teamsOf(long organisationId, long accountId) {
        return new HashSet<>(db.select(TEAM.ID).from(TEAM).join(TEAM_MEMBER).on(TEAM_MEMBER.TEAM_ID.eq(TEAM.ID))
                .where(TEAM.ORGANISATION_ID.eq(organisationId)).and(TEAM_MEMBER.ACCOUNT_ID.eq(accountId))
                .fetch(TEAM.ID));
    }

    @Override
    public Set<Long> teamRepositories(long teamId) {
        return new HashSet<>(db.select(TEAM_REPOSITORY.REPOSITORY_ID).from(TEAM_REPOSITORY)
                .where(TEAM_REPOSITORY.TEAM_ID.eq(teamId)).fetch(TEAM_REPOSITORY.REPOSITORY_ID));
    }

    @Override
    public List<Person> people(long organisationId) {
        Map<Long, Record4<Long, String, String, String>> members = new LinkedHashMap<>();
        db.select(ACCOUNT.ID, ACCOUNT.USERNAME, ACCOUNT.DISPLAY_NAME, MEMBERSHIP.ROLE)
                .from(MEMBERSHIP).join(ACCOUNT).on(ACCOUNT.ID.eq(MEMBERSHIP.ACCOUNT_ID))
                .where(MEMBERSHIP.ORGANISATION_ID.eq(organisationId)).orderBy(ACCOUNT.USERNAME)
                .forEach(r -> members.put(r.value1(), r));
        Map<Long, Set<ForgeIdentity>> identities = new LinkedHashMap<>();
        Set<String> linkedHere = new HashSet<>();
        db.selectFrom(ORGANISATION_IDENTITY_LINK).where(ORGANISATION_IDENTITY_LINK.ORGANISATION_ID.eq(organisationId))
                .and(ORGANISATION_IDENTITY_LINK.ACCOUNT_ID.in(members.keySet())).orderBy(ORGANISATION_IDENTITY_LINK.ID)
                .forEach(r -> {
                    ForgeIdentity identity = new ForgeIdentity(r.getProvider(), r.getLogin(), r.getEmail());
                    identities.computeIfAbsent(r.getAccountId(), id -> new LinkedHashSet<>()).add(identity);
                    linkedHere.add(key(identity));
                });
        // What an account holds itself counts too, unless this organisation's admins said that identity is someone else.
        db.selectFrom(FORGE_IDENTITY_LINK).where(FORGE_IDENTITY_LINK.ACCOUNT_ID.in(members.keySet()))
                .orderBy(FORGE_IDENTITY_LINK.ID)
                .forEach(r -> {
                    ForgeIdentity identity = new ForgeIdentity(r.getProvider(), r.getLogin(), r.getEmail());
                    Set<ForgeIdentity> own = identities.computeIfAbsent(r.getAccountId(), id -> new LinkedHashSet<>());
                    if (own.contains(identity) || !linkedHere.contains(key(identity))) {
                        own.add(identity);
                    }
                });
        return members.values().stream()
                .map(r -> new Person(r.value1(), r.value2(), r.value3(), role(r.value4()),
                        List.copyOf(identities.getOrDefault(r.value1(), Set.of()))))
                .toList();
    }

    private static String key(ForgeIdentity identity) {
        return identity.login() != null ? identity.provider() + ":" + identity.login().toLowerCase(Locale.ROOT)
                : "email:" + identity.email().toLowerCase(Locale.ROOT);
    }

    @Override
    public Optional<Long> personOf(String provider, String login, String email) {
        if (login != null) {
            Optional<Long> byLogin = db.select(FORGE_IDENTITY_LINK.ACCOUNT_ID).from(FORGE_IDENTITY_LINK)
                    .where(FORGE_IDENTITY_LINK.PROVIDER.eq(provider)).and(FORGE_IDENTITY_LINK.LOGIN.eq(login))
                    .fetchOptional(FORGE_IDENTITY_LINK.ACCOUNT_ID);
            if (byLogin.isPresent()) {
                return byLogin;
            }
        }
        if (email == null) {
            return Optional.empty();
        }
        return db.select(FORGE_IDENTITY_LINK.ACCOUNT_ID).from(FORGE_IDENTITY_LINK)
                .where(FORGE_IDENTITY_LINK.EMAIL.eq(email.toLowerCase(Locale.ROOT)))
                .fetchOptional(FORGE_IDENTITY_LINK.ACCOUNT_ID);
    }

    @Override
    public Optional<Long> personOf(long organisationId, String provider, String login, String email) {
        var link = ORGANISATION_IDENTITY_LINK;
        if (login != null) {
            Optional<Long> byLogin = db.select(link.ACCOUNT_ID).from(link).where(link.ORGANISATION_ID.eq(organisationId))
                    .and(link.PROVIDER.eq(provider)).and(link.LOGIN.eq(login)).fetchOptional(link.ACCOUNT_ID);
            if (byLogin.isPresent()) {
                return byLogin;
            }
        }
        if (email != null) {
            Optional<Long> byEmail = db.select(link.ACCOUNT_ID).from(link).where(link.ORGANISATION_ID.eq(organisationId))
                    .and(link.EMAIL.eq(email.toLowerCase(Locale.ROOT))).fetchOptional(link.ACCOUNT_ID);
            if (byEmail.isPresent()) {
                return byEmail;
            }
        }
        return personOf(provider, login, email);
    }

    @Override
    public Set<Long> connections(long organisationId) {
        return new HashSet<>(db.select(ORGANISATION_CONNECTION.CONNECTION_ID).from(ORGANISATION_CONNECTION)
                .where(ORGANISATION_CONNECTION.ORGANISATION_ID.eq(organisationId)).fetch(ORGANISATION_CONNECTION.CONNECTION_ID));
    }

    @Override
    public Optional<Long> ownerOfConnection(long connectionId) {
        return db.select(ORGANISATION_CONNECTION.ORGANISATION_ID).from(ORGANISATION_CONNECTION)
                .where(ORGANISATION_CONNECTION.CONNECTION_ID.eq(connectionId)).fetchOptional(ORGANISATION_CONNECTION.ORGANISATION_ID);
    }

    @Override
    public Organisation create(String slug, String name, Organisation.Kind kind) {
        return organisation(db.insertInto(ORGANISATION)
                .set(ORGANISATION.SLUG, slug)
                .set(ORGANISATION.NAME, name)
                .set(ORGANISATION.KIND, kind.name().toLowerCase(Locale.ROOT))
                .set(ORGANISATION.CREATED_AT, now())
                .returning().fetchSingle());
    }

    @Override
    public Team createTeam(long organisationId, String slug, String name) {
        var row = db.insertInto(TEAM)
                .set(TEAM.ORGANISATION_ID, organisationId)
                .set(TEAM.SLUG, slug)
                .set(TEAM.NAME, name)
                .set(TEAM.CREATED_AT, now())
                .returning().fetchSingle();
        events.publishEvent(new OrganisationsChanged(organisationId));
        return new Team(row.getId(), organisationId, slug, name);
    }

    @Override
    public void addMember(long organisationId, long accountId, OrgRole role) {
        String stored = role.name().toLowerCase(Locale.ROOT);
        int changed = db.update(MEMBERSHIP).set(MEMBERSHIP.ROLE, stored)
                .where(MEMBERSHIP.ORGANISATION_ID.eq(organisationId)).and(MEMBERSHIP.ACCOUNT_ID.eq(accountId)).execute();
        if (changed == 0) {
            db.insertInto(MEMBERSHIP)
                    .set(MEMBERSHIP.ORGANISATION_ID, organisationId)
                    .set(MEMBERSHIP.ACCOUNT_ID, accountId)
                    .set(MEMBERSHIP.ROLE, stored)
                    .set(MEMBERSHIP.CREATED_AT, now())
                    .execute();
        }
        events.publishEvent(new OrganisationsChanged(organisationId));
    }

    @Override
    public void addTeamMember(long teamId, long accountId) {
        db.insertInto(TEAM_MEMBER).set(TEAM_MEMBER.TEAM_ID, teamId).set(TEAM_MEMBER.ACCOUNT_ID, accountId)
                .onDuplicateKeyIgnore().execute();
        events.publishEvent(new OrganisationsChanged(organisationOfTeam(teamId)));
    }

    @Override
    public void assignRepository(long teamId, long repositoryId) {
        db.insertInto(TEAM_REPOSITORY).set(TEAM_REPOSITORY.TEAM_ID, teamId).set(TEAM_REPOSITORY.REPOSITORY_ID, repositoryId)
                .onDuplicateKeyIgnore().execute();
        events.publishEvent(new OrganisationsChanged(organisationOfTeam(teamId)));
    }

    private Long organisationOfTeam(long teamId) {
        return db.select(TEAM.ORGANISATION_ID).from(TEAM).where(TEAM.ID.eq(teamId)).fetchOne(TEAM.ORGANISATION_ID);
    }

    @Override
    public void linkIdentity(long accountId, ForgeIdentity identity) {
        db.insertInto(FORGE_IDENTITY_LINK)
                .set(FORGE_IDENTITY_LINK.ACCOUNT_ID, accountId)
                .set(FORGE_IDENTITY_LINK.PROVIDER, identity.provider())
                .set(FORGE_IDENTITY_LINK.LOGIN, identity.login())
                .set(FORGE_IDENTITY_LINK.EMAIL, identity.email() == null ? null : identity.email().toLowerCase(Locale.ROOT))
                .set(FORGE_IDENTITY_LINK.CREATED_AT, now())
                .execute();
        events.publishEvent(new OrganisationsChanged(null)); // the account may belong to several organisations
    }

    @Override
    public void linkIdentity(long organisationId, long accountId, ForgeIdentity identity) {
        db.insertInto(ORGANISATION_IDENTITY_LINK)
                .set(ORGANISATION_IDENTITY_LINK.ORGANISATION_ID, organisationId)
                .set(ORGANISATION_IDENTITY_LINK.ACCOUNT_ID, accountId)
                .set(ORGANISATION_IDENTITY_LINK.PROVIDER, identity.provider())
                .set(ORGANISATION_IDENTITY_LINK.LOGIN, identity.login())
                .set(ORGANISATION_IDENTITY_LINK.EMAIL, identity.email() == null ? null : identity.email().toLowerCase(Locale.ROOT))
                .set(ORGANISATION_IDENTITY_LINK.CREATED_AT, now())
                .execute();
        events.publishEvent(new OrganisationsChanged(organisationId));
    }

    @Override
    public void assignConnection(long organisationId, long connectionId) {
        int changed = db.update(ORGANISATION_CONNECTION).set(ORGANISATION_CONNECTION.ORGANISATION_ID, organisationId)
                .where(ORGANISATION_CONNECTION.CONNECTION_ID.eq(connectionId)).execute();
        if (changed == 0) {
            db.insertInto(ORGANISATION_CONNECTION)
                    .set(ORGANISATION_CONNECTION.CONNECTION_ID, connectionId)
                    .set(ORGANISATION_CONNECTION.ORGANISATION_ID, organisationId)
                    .execute();
        }
        events.publishEvent(new OrganisationsChanged(null)); // and the connection's previous owner
    }

    @Override
    public long createAccount(String username, String displayName, String email) {
        return db.insertInto(ACCOUNT)
                .set(ACCOUNT.USERNAME, username)
                .set(ACCOUNT.DISPLAY_NAME, displayName)
                .set(ACCOUNT.EMAIL, email)
                .set(ACCOUNT.ADMIN, false)
                .set(ACCOUNT.CREATED_AT, now())
                .returning(ACCOUNT.ID)
                .fetchOne(ACCOUNT.ID);
    }

    private static Organisation organisation(OrganisationRecord r) {
        return new Organisation(r.getId(), r.getSlug(), r.getName(), Organisation.Kind.valueOf(r.getKind().toUpperCase(Locale.ROOT)));
    }

    private static OrgRole role(String stored) {
        return OrgRole.valueOf(stored.toUpperCase(Locale.ROOT));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
