package dev.forgeline.web.internal;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.forgeline.identity.OrganisationInvitations;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;

/** Your invitations to organisations: accept one to join with the role it offers, or decline it. */
@Controller
@Access(Rule.SIGNED_IN)
class InvitationsPage {

    private final OrganisationInvitations invitations;

    InvitationsPage(OrganisationInvitations invitations) {
        this.invitations = invitations;
    }

    @GetMapping("/invitations")
    String list(Model model) {
        Pages.requireSignedIn();
        model.addAttribute("invitations", invitations.mine());
        return "invitations";
    }

    @PostMapping("/invitations/{id}/accept")
    String accept(@PathVariable long id) {
        Pages.requireSignedIn();
        // Another account's invitation is as unknown here as one that never existed.
        return invitations.accept(id).map(slug -> "redirect:/orgs/" + slug)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "you have no pending invitation " + id));
    }

    @PostMapping("/invitations/{id}/decline")
    String decline(@PathVariable long id, RedirectAttributes redirect) {
        Pages.requireSignedIn();
        if (!invitations.decline(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "you have no pending invitation " + id);
        }
        redirect.addFlashAttribute("notice", "Invitation declined.");
        return "redirect:/invitations";
    }
}
