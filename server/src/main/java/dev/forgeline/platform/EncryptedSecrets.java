package dev.forgeline.platform;

/**
 * Implemented by each module that keeps secrets encrypted with the {@link SecretBox}, so that rotating the master
 * key reaches every secret without one module touching another's tables.
 */
public interface EncryptedSecrets {

    /** What these secrets are, for the rotation report: {@code connection secrets}. */
    String kind();

    /**
     * Re-encrypts every secret the module holds: opens each with {@code from}, seals it with {@code to}. Runs in the
     * caller's transaction, so that all secrets move to the new key together or none does.
     *
     * @return how many secrets were re-encrypted
     */
    int reencrypt(SecretBox from, SecretBox to);
}
