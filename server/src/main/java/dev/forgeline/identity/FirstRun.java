package dev.forgeline.identity;

/**
 * The first administrator of a fresh server, for the setup page: while no account has a password and no
 * {@code FORGELINE_ADMIN_TOKEN} is configured, whoever opens the server first chooses the admin's credentials.
 */
public interface FirstRun {

    /** True while the server still waits for its first admin. */
    boolean pending();

    /**
     * Gives the first admin a username and password; the bootstrap {@code admin} account becomes it.
     *
     * @return the admin's account id
     * @throws IllegalStateException once an admin has been set up (or an admin token is configured)
     * @throws org.springframework.web.server.ResponseStatusException 400 for a bad username or password
     */
    long createAdmin(String username, String displayName, String password);
}
