package dev.forgeline.identity.internal;


import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import dev.forgeline.identity.Caller;

/** Checks a username and password against the account's hash; the signed-in principal is a {@link Caller}. */
@Component
class PasswordLogin implements AuthenticationProvider {

    private final Accounts accounts;
    private final Passwords passwords;

    PasswordLogin(Accounts accounts, Passwords passwords) {
        this.accounts = accounts;
        this.passwords = passwords;
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        String username = attempt.getName() == null ? "" : attempt.getName().strip();
        String password = attempt.getCredentials() == null ? "" : attempt.getCredentials().toString();
        var account = accounts.credentials(username);
        // Always run the hash, so that an unknown username takes as long to refuse as a wrong password.
        if (!passwords.matches(account.map(Accounts.Credentials::passwordHash).orElse(null), password) || account.isEmpty()) {
            throw new BadCredentialsException("wrong username or password");
        }
        var credentials = account.get();
        return CallerAuthentication.of(new Caller(credentials.id(), credentials.username(), credentials.admin(), LoginSessions.SCOPES));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

}
