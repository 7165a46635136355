package dev.forgeline.identity;

/** A fresh server's first admin, created from the setup page. */
public interface FirstRun {

    /** True while no admin can sign in yet and none was bootstrapped by token. */
    boolean pending();

    /** Creates the first admin; returns its account id. */
    long createAdmin(String username, String displayName, String password);
}
