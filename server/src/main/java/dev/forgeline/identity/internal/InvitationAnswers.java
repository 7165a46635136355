package dev.forgeline.identity.internal;

import java.util.List;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.identity.Organisations;

/** What the invited account does with an invitation, the same from the API and from the dashboard. */
@Service
class InvitationAnswers {

    private final Invitations invitations;
    private final Organisations organisations;
    private final Audit audit;

    InvitationAnswers(Invitations invitations, Organisations organisations, Audit audit) {
        this.invitations = invitations;
        this.organisations = organisations;
        this.audit = audit;
    }

    record Joined(Organisation organisation, OrgRole role) {
    }

    List<Invitations.Invitation> pending(Caller caller) {
        return invitations.pending(caller.accountId());
    }

    /** Joins with the role offered; a member already (a site admin added them meanwhile) keeps the role they have. */
    @Transactional
    Joined accept(Caller caller, long id) {
        Invitations.Invitation invitation = answered(caller, id);
        Organisation organisation = invitation.organisation();
        var current = organisations.people(organisation.id()).stream().filter(p -> p.accountId() == caller.accountId()).findFirst();
        OrgRole role = current.map(p -> p.role()).orElse(invitation.role());
        if (current.isEmpty()) {
            organisations.addMember(organisation.id(), caller.accountId(), role);
        }
        audit.record("invitation.accepted", "membership", organisation.slug() + "/" + caller.accountId(),
                role.name().toLowerCase(Locale.ROOT));
        return new Joined(organisation, role);
    }

    @Transactional
    void decline(Caller caller, long id) {
        Invitations.Invitation invitation = answered(caller, id);
        audit.record("invitation.declined", "membership", invitation.organisation().slug() + "/" + caller.accountId(),
                invitation.role().name().toLowerCase(Locale.ROOT));
    }

    /** The caller's pending invitation, removed; anyone else's, or one answered meanwhile, is 404. */
    private Invitations.Invitation answered(Caller caller, long id) {
        Invitations.Invitation invitation = invitations.pending(caller.accountId(), id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "you have no pending invitation " + id));
        if (!invitations.remove(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "you have no pending invitation " + id);
        }
        return invitation;
    }
}
