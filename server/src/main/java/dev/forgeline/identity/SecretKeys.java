package dev.forgeline.identity;

import java.util.Map;

/** The master key that seals every secret at rest (webhook secrets, forge API tokens). */
public interface SecretKeys {

    /**
     * Re-encrypts every secret of every module under the new key, in one transaction, and audits it. The process
     * keeps using its old key: restart every process with the new one afterwards.
     *
     * @param newKey base64 of 32 random bytes
     * @return how many secrets of each kind were re-encrypted
     */
    Map<String, Integer> rotate(String newKey);
}
