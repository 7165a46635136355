package dev.forgeline.identity.internal;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.HttpStatus;

import dev.forgeline.identity.AccountPasswords;

/**
 * Password hashes through Spring Security's delegating encoder: bcrypt today, with the algorithm stored in
 * each hash ({@code {bcrypt}…}) so a later default upgrades accounts as they sign in.
 */
@Component
class Passwords implements AccountPasswords {

    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 200;

    final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    /** Compared against when the username is unknown, so that a wrong username takes as long as a wrong password. */
    private final String decoy = encoder.encode("decoy password that matches nothing");

    private final Accounts accounts;

    Passwords(Accounts accounts) {
        this.accounts = accounts;
    }

    static void check(String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "password must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
    }

    @Override
    public void setPassword(long accountId, String password) {
        check(password);
        if (!accounts.setPasswordHash(accountId, encoder.encode(password))) {
            throw new IllegalArgumentException("no account " + accountId);
        }
    }

    /** True when the password is the account's; false for no account or no password, in the same time. */
    boolean matches(String hash, String password) {
        return encoder.matches(password, hash == null ? decoy : hash) && hash != null;
    }
}
