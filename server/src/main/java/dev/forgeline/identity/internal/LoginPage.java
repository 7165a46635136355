package dev.forgeline.identity.internal;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.forgeline.identity.FirstRun;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;

/** The sign-in page: username and password, and a button for each configured forge or OpenID provider. */
@Controller
class LoginPage {

    private final LoginProviders providers;
    private final FirstRun firstRun;

    LoginPage(LoginProviders providers, FirstRun firstRun) {
        this.providers = providers;
        this.firstRun = firstRun;
    }

    @GetMapping("/login")
    @Access(Rule.PUBLIC)
    String login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout, Model model) {
        model.addAttribute("error", error != null);
        model.addAttribute("loggedOut", logout != null);
        model.addAttribute("providers", providers.all());
        model.addAttribute("setupPending", firstRun.pending());
        return "login";
    }

    /** A button on the login page: {@code /oauth2/authorization/{id}} starts the provider's login. */
    record Provider(String id, String name) {
    }

    /** The external login providers the settings configure. */
    interface LoginProviders {
        List<Provider> all();
    }
}
