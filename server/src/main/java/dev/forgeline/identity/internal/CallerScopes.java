package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.MEMBERSHIP;
import static dev.forgeline.schema.Tables.ORGANISATION_CONNECTION;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import dev.forgeline.activity.Repositories;
import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.ReadAccess;
import dev.forgeline.platform.CallerScope;

/**
 * What a caller may see outside one organisation's routes: the repositories of the organisations they belong to,
 * as {@link OrgAccess#mayReadRepository} allows, and the connections of those they administer.
 */
@Component
class CallerScopes implements CallerScope {

    private static final List<String> ADMIN_ROLES = List.of(
            OrgRole.OWNER.name().toLowerCase(Locale.ROOT), OrgRole.ADMIN.name().toLowerCase(Locale.ROOT));

    private final DSLContext db;
    private final ReadAccess access;
    private final Repositories repositories;

    CallerScopes(DSLContext db, ReadAccess access, Repositories repositories) {
        this.db = db;
        this.access = access;
        this.repositories = repositories;
    }

    @Override
    public Readable readable() {
        Caller caller = Caller.current().orElse(null);
        if (caller == null) {
            return Readable.NONE;
        }
        if (caller.admin()) {
            return Readable.ALL;
        }
        Set<Long> connections = new HashSet<>();
        Set<Long> single = new HashSet<>();
        for (OrgAccess organisation : access.organisations(caller)) {
            Set<Long> owned = owned(organisation.organisation().id());
            if (organisation.readsEveryRepository()) {
                connections.addAll(owned);
            } else {
                Map<Long, Set<Long>> teams = access.repositoryTeams(organisation.organisation().id());
                repositories.ofConnections(owned).stream()
                        .filter(r -> organisation.mayReadRepository(teams.getOrDefault(r.id(), Set.of())))
                        .forEach(r -> single.add(r.id()));
            }
        }
        return new Readable(false, Set.copyOf(connections), Set.copyOf(single));
    }

    @Override
    public Connections administered() {
        Caller caller = Caller.current().orElse(null);
        if (caller == null) {
            return Connections.NONE;
        }
        if (caller.admin()) {
            return Connections.ALL;
        }
        return new Connections(false, new HashSet<>(db.select(ORGANISATION_CONNECTION.CONNECTION_ID)
                .from(ORGANISATION_CONNECTION).join(MEMBERSHIP).on(MEMBERSHIP.ORGANISATION_ID.eq(ORGANISATION_CONNECTION.ORGANISATION_ID))
                .where(MEMBERSHIP.ACCOUNT_ID.eq(caller.accountId())).and(MEMBERSHIP.ROLE.in(ADMIN_ROLES))
                .fetch(ORGANISATION_CONNECTION.CONNECTION_ID)));
    }

    private Set<Long> owned(long organisationId) {
        return new HashSet<>(db.select(ORGANISATION_CONNECTION.CONNECTION_ID).from(ORGANISATION_CONNECTION)
                .where(ORGANISATION_CONNECTION.ORGANISATION_ID.eq(organisationId)).fetch(ORGANISATION_CONNECTION.CONNECTION_ID));
    }
}
