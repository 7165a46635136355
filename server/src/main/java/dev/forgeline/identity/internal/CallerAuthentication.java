package dev.forgeline.identity.internal;

import java.util.ArrayList;
import java.util.List;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.forgeline.identity.Caller;

/** The Spring Security form of a caller, whatever credential proved them: scopes as authorities, admins as ROLE_ADMIN. */
final class CallerAuthentication {

    private CallerAuthentication() {
    }

    static Authentication of(Caller caller) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        caller.scopes().forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
        if (caller.actsAsAdmin()) {
            authorities.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
        }
        return UsernamePasswordAuthenticationToken.authenticated(caller, null, authorities);
    }
}
