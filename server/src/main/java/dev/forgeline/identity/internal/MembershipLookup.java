package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.MEMBERSHIP;
import static dev.forgeline.schema.Tables.ORGANISATION;
import static dev.forgeline.schema.Tables.TEAM;
import static dev.forgeline.schema.Tables.TEAM_MEMBER;
import static dev.forgeline.schema.Tables.TEAM_REPOSITORY;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.ReadAccess;
import dev.forgeline.schema.tables.TeamMember;

/**
 * The per-request questions of an organisation route, each in one query: every API call under {@code /orgs/{org}}
 * asks them, so they are kept to two round trips to the database.
 */
@Repository
class MembershipLookup implements ReadAccess {

    private final DSLContext db;

    MembershipLookup(DSLContext db) {
        this.db = db;
    }

    /** The organisation named by the slug and the caller's role in it; empty when either is missing (404). */
    Optional<RouteRules.Membership> of(String slug, Caller caller) {
        if (caller.admin()) {
            return db.selectFrom(ORGANISATION).where(ORGANISATION.SLUG.eq(slug))
                    .fetchOptional(r -> new RouteRules.Membership(organisation(r.getId(), r.getSlug(), r.getName(), r.getKind()), OrgRole.OWNER));
        }
        return db.select(ORGANISATION.ID, ORGANISATION.SLUG, ORGANISATION.NAME, ORGANISATION.KIND, MEMBERSHIP.ROLE)
                .from(ORGANISATION).join(MEMBERSHIP).on(MEMBERSHIP.ORGANISATION_ID.eq(ORGANISATION.ID))
                .where(ORGANISATION.SLUG.eq(slug)).and(MEMBERSHIP.ACCOUNT_ID.eq(caller.accountId()))
                .fetchOptional(r -> new RouteRules.Membership(organisation(r.value1(), r.value2(), r.value3(), r.value4()),
                        OrgRole.valueOf(r.value5().toUpperCase(Locale.ROOT))));
    }

    /** The caller's teams in the organisation, and everyone in those teams (the caller included). */
    record Teams(Set<Long> teams, Set<Long> people) {
    }

    Teams teams(long organisationId, long accountId) {
        TeamMember mine = TEAM_MEMBER.as("mine");
        TeamMember theirs = TEAM_MEMBER.as("theirs");
        Set<Long> teams = new HashSet<>();
        Set<Long> people = new HashSet<>();
        people.add(accountId);
        db.select(TEAM.ID, theirs.ACCOUNT_ID).from(TEAM)
                .join(mine).on(mine.TEAM_ID.eq(TEAM.ID)).and(mine.ACCOUNT_ID.eq(accountId))
                .join(theirs).on(theirs.TEAM_ID.eq(TEAM.ID))
                .where(TEAM.ORGANISATION_ID.eq(organisationId))
                .forEach(r -> {
                    teams.add(r.value1());
                    people.add(r.value2());
                });
        return new Teams(Set.copyOf(teams), Set.copyOf(people));
    }

    @Override
    public List<OrgAccess> organisations(Caller caller) {
        List<RouteRules.Membership> memberships = caller.admin()
                ? db.selectFrom(ORGANISATION).orderBy(ORGANISATION.ID).fetch(r -> new RouteRules.Membership(
                        organisation(r.getId(), r.getSlug(), r.getName(), r.getKind()), OrgRole.OWNER))
                : db.select(ORGANISATION.ID, ORGANISATION.SLUG, ORGANISATION.NAME, ORGANISATION.KIND, MEMBERSHIP.ROLE)
                        .from(ORGANISATION).join(MEMBERSHIP).on(MEMBERSHIP.ORGANISATION_ID.eq(ORGANISATION.ID))
                        .where(MEMBERSHIP.ACCOUNT_ID.eq(caller.accountId())).orderBy(ORGANISATION.ID)
                        .fetch(r -> new RouteRules.Membership(organisation(r.value1(), r.value2(), r.value3(), r.value4()),
                                OrgRole.valueOf(r.value5().toUpperCase(Locale.ROOT))));
        return memberships.stream().map(m -> {
            Teams teams = teams(m.organisation().id(), caller.accountId());
            return new OrgAccess(m.organisation(), m.role(), caller, teams.teams(), teams.people());
        }).toList();
    }

    @Override
    public Map<Long, Set<Long>> repositoryTeams(long organisationId) {
        Map<Long, Set<Long>> teams = new HashMap<>();
        db.select(TEAM_REPOSITORY.REPOSITORY_ID, TEAM_REPOSITORY.TEAM_ID).from(TEAM_REPOSITORY)
                .join(TEAM).on(TEAM.ID.eq(TEAM_REPOSITORY.TEAM_ID)).where(TEAM.ORGANISATION_ID.eq(organisationId))
                .forEach(r -> teams.computeIfAbsent(r.value1(), id -> new HashSet<>()).add(r.value2()));
        teams.replaceAll((repository, its) -> Set.copyOf(its));
        return Map.copyOf(teams);
    }

    private static Organisation organisation(long id, String slug, String name, String kind) {
        return new Organisation(id, slug, name, Organisation.Kind.valueOf(kind.toUpperCase(Locale.ROOT)));
    }
}
