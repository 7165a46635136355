package dev.forgeline.platform;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The account a request acts for, as modules other than identity need to know it (to attribute, to audit). */
public interface Actor {

    long accountId();

    String username();

    /** The actor of the request this thread is serving, if it signed in. */
    static Optional<Actor> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Actor actor
                ? Optional.of(actor) : Optional.empty();
    }
}
