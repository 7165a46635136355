package dev.forgeline.web.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.identity.FirstRun;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;

/**
 * A fresh server's first page: create the first admin. Once one exists (or the server was bootstrapped with an
 * admin token) this page only points on, to signing in and connecting a forge.
 */
@Controller
class SetupController {

    static final int MIN_PASSWORD = 12;

    private final ObjectProvider<FirstRun> firstRun;

    SetupController(ObjectProvider<FirstRun> firstRun) {
        this.firstRun = firstRun;
    }

    boolean pending() {
        FirstRun run = firstRun.getIfAvailable();
        return run != null && run.pending();
    }

    @GetMapping("/setup")
    @Access(Rule.PUBLIC)
    String form() {
        return pending() ? "setup" : "redirect:/connect";
    }

    @PostMapping("/setup")
    @Access(Rule.PUBLIC)
    String create(@RequestParam String username, @RequestParam(defaultValue = "") String displayName,
                  @RequestParam String password, @RequestParam String confirm, Model model) {
        if (!pending()) {
            return "redirect:/connect";
        }
        String name = username.strip();
        String error = null;
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9._-]{1,39}")) {
            error = "Choose a user name of 2 to 40 letters, digits, dots, dashes or underscores.";
        } else if (password.length() < MIN_PASSWORD) {
            error = "The password needs at least " + MIN_PASSWORD + " characters.";
        } else if (!password.equals(confirm)) {
            error = "The two passwords differ.";
        }
        if (error != null) {
            model.addAttribute("error", error);
            model.addAttribute("username", name);
            model.addAttribute("displayName", displayName);
            return "setup";
        }
        try {
            firstRun.getObject().createAdmin(name, displayName.isBlank() ? name : displayName.strip(), password);
        } catch (ResponseStatusException refused) {
            model.addAttribute("error", refused.getReason());
            model.addAttribute("username", name);
            model.addAttribute("displayName", displayName);
            return "setup";
        } catch (IllegalStateException alreadySetUp) {
            return "redirect:/login";
        } catch (IllegalArgumentException refused) {
            model.addAttribute("error", refused.getMessage());
            model.addAttribute("username", name);
            model.addAttribute("displayName", displayName);
            return "setup";
        }
        return "redirect:/login?setup";
    }
}
