package dev.forgeline.web.internal;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.forgeline.identity.PersonalTokens;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;

/** Your API tokens: a new token is shown once, on the page that created it. */
@Controller
@Access(Rule.SIGNED_IN)
class TokensPage {

    private final PersonalTokens tokens;

    TokensPage(PersonalTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping("/tokens")
    String list(Model model) {
        Pages.requireSignedIn();
        model.addAttribute("tokens", tokens.mine());
        return "tokens";
    }

    @PostMapping("/tokens")
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(required = false) List<String> scopes,
                  @RequestParam(required = false) Integer expiresInDays, Model model) {
        Pages.requireSignedIn();
        try {
            model.addAttribute("created", tokens.create(name, scopes == null ? List.of() : scopes, expiresInDays));
        } catch (IllegalArgumentException refused) {
            model.addAttribute("error", refused.getMessage());
        }
        return list(model);
    }

    @PostMapping("/tokens/{id}/revoke")
    String revoke(@PathVariable long id, RedirectAttributes redirect) {
        Pages.requireSignedIn();
        if (!tokens.revoke(id)) {
            // Another person's token is as unknown here as one that never existed.
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "you have no active token " + id);
        }
        redirect.addFlashAttribute("notice", "Token revoked: it stopped working at once.");
        return "redirect:/tokens";
    }
}
