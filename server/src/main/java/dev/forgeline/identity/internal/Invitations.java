package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.ACCOUNT;
import static dev.forgeline.schema.Tables.ORGANISATION;
import static dev.forgeline.schema.Tables.ORG_INVITATION;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;

/** Invitations to join an organisation: written by its admins, read and answered only by the invited account. */
@Repository
class Invitations {

    private final DSLContext db;

    Invitations(DSLContext db) {
        this.db = db;
    }

    /** An invitation as its invitee sees it: the organisation, the role offered, and who offered it. */
    record Invitation(long id, Organisation organisation, OrgRole role, String invitedBy, OffsetDateTime createdAt) {
    }

    /** Invites the account, or changes the role a pending invitation offers; one invitation per account and organisation. */
    void invite(long organisationId, long accountId, OrgRole role, long invitedBy) {
        String stored = role.name().toLowerCase(Locale.ROOT);
        int changed = db.update(ORG_INVITATION).set(ORG_INVITATION.ROLE, stored).set(ORG_INVITATION.INVITED_BY, invitedBy)
                .where(ORG_INVITATION.ORGANISATION_ID.eq(organisationId)).and(ORG_INVITATION.ACCOUNT_ID.eq(accountId)).execute();
        if (changed == 0) {
            db.insertInto(ORG_INVITATION)
                    .set(ORG_INVITATION.ORGANISATION_ID, organisationId)
                    .set(ORG_INVITATION.ACCOUNT_ID, accountId)
                    .set(ORG_INVITATION.ROLE, stored)
                    .set(ORG_INVITATION.INVITED_BY, invitedBy)
                    .set(ORG_INVITATION.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .onDuplicateKeyIgnore()
                    .execute();
        }
    }

    List<Invitation> pending(long accountId) {
        return db.select(ORG_INVITATION.ID, ORGANISATION.ID, ORGANISATION.SLUG, ORGANISATION.NAME, ORGANISATION.KIND,
                        ORG_INVITATION.ROLE, ACCOUNT.USERNAME, ORG_INVITATION.CREATED_AT)
                .from(ORG_INVITATION).join(ORGANISATION).on(ORGANISATION.ID.eq(ORG_INVITATION.ORGANISATION_ID))
                .leftJoin(ACCOUNT).on(ACCOUNT.ID.eq(ORG_INVITATION.INVITED_BY))
                .where(ORG_INVITATION.ACCOUNT_ID.eq(accountId)).orderBy(ORG_INVITATION.ID)
                .fetch(r -> new Invitation(r.value1(), new Organisation(r.value2(), r.value3(), r.value4(),
                        Organisation.Kind.valueOf(r.value5().toUpperCase(Locale.ROOT))),
                        OrgRole.valueOf(r.value6().toUpperCase(Locale.ROOT)), r.value7(), r.value8()));
    }

    /** The account's own pending invitation; someone else's is as absent as one that never existed. */
    Optional<Invitation> pending(long accountId, long invitationId) {
        return pending(accountId).stream().filter(i -> i.id() == invitationId).findFirst();
    }

    /** @return false when it was answered meanwhile */
    boolean remove(long invitationId) {
        return db.deleteFrom(ORG_INVITATION).where(ORG_INVITATION.ID.eq(invitationId)).execute() == 1;
    }

    /** Drops a pending invitation once the account joined by other means (a site admin added it). */
    void withdraw(long organisationId, long accountId) {
        db.deleteFrom(ORG_INVITATION).where(ORG_INVITATION.ORGANISATION_ID.eq(organisationId))
                .and(ORG_INVITATION.ACCOUNT_ID.eq(accountId)).execute();
    }
}
