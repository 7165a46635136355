package dev.forgeline.identity;

import java.util.Optional;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.forgeline.platform.Actor;

/** Who is making the current request: an account, and what the credential it used allows. */
public record Caller(long accountId, String username, boolean admin, Set<String> scopes) implements Actor {

    /** Admin rights need both an admin account and a credential with the admin scope. */
    public boolean actsAsAdmin() {
        return admin && scopes.contains("admin");
    }

    /** The caller of the request this thread is serving, if it signed in. */
    public static Optional<Caller> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Caller caller
                ? Optional.of(caller) : Optional.empty();
    }
}
