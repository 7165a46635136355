package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.MEMBERSHIP;
import static dev.forgeline.schema.Tables.ORGANISATION_CONNECTION;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.platform.CallerScope;

/** The connections a caller may see: those of the organisations they belong to (with a given role). */
@Component
class CallerScopes implements CallerScope {

    private static final List<String> ADMIN_ROLES = List.of(
            OrgRole.OWNER.name().toLowerCase(Locale.ROOT), OrgRole.ADMIN.name().toLowerCase(Locale.ROOT));

    private final DSLContext db;

    CallerScopes(DSLContext db) {
        this.db = db;
    }

    @Override
    public Connections readable() {
        return Caller.current().map(caller -> of(caller, false)).orElse(Connections.NONE);
    }

    @Override
    public Connections administered() {
        return Caller.current().map(caller -> of(caller, true)).orElse(Connections.NONE);
    }

    private Connections of(Caller caller, boolean adminRoleOnly) {
        if (caller.admin()) {
            return Connections.ALL;
        }
        var memberships = MEMBERSHIP.ACCOUNT_ID.eq(caller.accountId());
        if (adminRoleOnly) {
            memberships = memberships.and(MEMBERSHIP.ROLE.in(ADMIN_ROLES));
        }
        return new Connections(false, new HashSet<>(db.select(ORGANISATION_CONNECTION.CONNECTION_ID)
                .from(ORGANISATION_CONNECTION).join(MEMBERSHIP).on(MEMBERSHIP.ORGANISATION_ID.eq(ORGANISATION_CONNECTION.ORGANISATION_ID))
                .where(memberships).fetch(ORGANISATION_CONNECTION.CONNECTION_ID)));
    }
}
