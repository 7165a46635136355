package dev.forgeline.identity.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.identity.Caller;
import dev.forgeline.platform.Access;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The invitations to organisations an account has received: it accepts (and joins with the role offered) or declines. */
@RestController
@Access(Access.Rule.SIGNED_IN)
@RequestMapping("/api/v1/user/invitations")
@Tag(name = "Organisations")
class InvitationsController {

    private final InvitationAnswers answers;

    InvitationsController(InvitationAnswers answers) {
        this.answers = answers;
    }

    record InvitationView(long id, String organisation, String organisationName, String kind, String role, String roleTitle,
                          String invitedBy, OffsetDateTime createdAt) {

        static InvitationView of(Invitations.Invitation i) {
            return new InvitationView(i.id(), i.organisation().slug(), i.organisation().name(),
                    i.organisation().kind().name().toLowerCase(Locale.ROOT), i.role().name().toLowerCase(Locale.ROOT),
                    i.role().title(i.organisation().kind()), i.invitedBy(), i.createdAt());
        }
    }

    @GetMapping
    @Operation(summary = "Your pending invitations to organisations")
    List<InvitationView> pending() {
        return answers.pending(caller()).stream().map(InvitationView::of).toList();
    }

    @PostMapping("/{id}/accept")
    @Transactional
    @Operation(summary = "Accept an invitation: you join the organisation with the role it offers")
    OrganisationsController.OrganisationView accept(@PathVariable long id) {
        var joined = answers.accept(caller(), id);
        return OrganisationsController.OrganisationView.of(joined.organisation(), joined.role());
    }

    @PostMapping("/{id}/decline")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    @Operation(summary = "Decline an invitation")
    void decline(@PathVariable long id) {
        answers.decline(caller(), id);
    }

    private static Caller caller() {
        return Caller.current().orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "sign in first"));
    }
}
