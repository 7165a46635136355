package dev.forgeline.identity;

import java.util.List;
import java.util.Optional;

/** The signed-in caller's pending invitations to organisations, for the dashboard: the same rules and audit as the API. */
public interface OrganisationInvitations {

    record Invitation(long id, String organisation, String organisationName, String roleTitle, String invitedBy) {
    }

    List<Invitation> mine();

    /** The slug of the organisation joined; empty when the caller has no such pending invitation. */
    Optional<String> accept(long id);

    /** false when the caller has no such pending invitation */
    boolean decline(long id);
}
