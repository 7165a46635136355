package dev.forgeline.identity.internal;

import java.util.Set;

/** The account behind an API token, and what the token allows. */
record TokenHolder(long accountId, String username, boolean admin, Set<String> scopes) {

    /** Admin rights need both an admin account and a token with the admin scope. */
    boolean actsAsAdmin() {
        return admin && scopes.contains("admin");
    }
}
