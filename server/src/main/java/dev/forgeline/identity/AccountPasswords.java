package dev.forgeline.identity;

/** Sets the password of a local account (the dashboard's profile page, an admin resetting one). */
public interface AccountPasswords {

    /**
     * @throws org.springframework.web.server.ResponseStatusException 400 when the password is too short or too long
     * @throws IllegalArgumentException when there is no such account
     */
    void setPassword(long accountId, String password);
}
