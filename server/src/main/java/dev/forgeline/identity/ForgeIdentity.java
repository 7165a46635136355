package dev.forgeline.identity;

/**
 * Who someone is on a forge: a login on one provider (github, gitlab, gitea), or a commit email on any
 * (provider {@link #ANY_PROVIDER}, login null).
 */
public record ForgeIdentity(String provider, String login, String email) {

    public static final String ANY_PROVIDER = "*";

    public static ForgeIdentity login(String provider, String login) {
        return new ForgeIdentity(provider, login, null);
    }

    public static ForgeIdentity email(String email) {
        return new ForgeIdentity(ANY_PROVIDER, null, email);
    }
}
