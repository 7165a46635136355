package dev.forgeline.identity.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrganisationInvitations;

/** Goes through the same answers as the invitations API, so membership and audit follow the same rules. */
@Component
class DashboardInvitations implements OrganisationInvitations {

    private final InvitationAnswers answers;

    DashboardInvitations(InvitationAnswers answers) {
        this.answers = answers;
    }

    @Override
    public List<Invitation> mine() {
        return answers.pending(caller()).stream().map(i -> new Invitation(i.id(), i.organisation().slug(), i.organisation().name(),
                i.role().title(i.organisation().kind()), i.invitedBy())).toList();
    }

    @Override
    public Optional<String> accept(long id) {
        try {
            return Optional.of(answers.accept(caller(), id).organisation().slug());
        } catch (ResponseStatusException missing) {
            return Optional.empty();
        }
    }

    @Override
    public boolean decline(long id) {
        try {
            answers.decline(caller(), id);
            return true;
        } catch (ResponseStatusException missing) {
            return false;
        }
    }

    private static Caller caller() {
        return Caller.current().orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "sign in first"));
    }
}
