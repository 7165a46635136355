package dev.forgeline.web.internal;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.identity.Caller;

/** Access checks shared by the page controllers. */
final class Pages {

    private Pages() {
    }

    static Caller requireAdmin() {
        Caller caller = Caller.current()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "sign in first"));
        if (!caller.actsAsAdmin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "this page is for admins");
        }
        return caller;
    }

    static Caller requireSignedIn() {
        return Caller.current().orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "sign in first"));
    }

    static boolean isAdmin() {
        return Caller.current().map(Caller::actsAsAdmin).orElse(false);
    }
}
