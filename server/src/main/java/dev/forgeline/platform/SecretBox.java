package dev.forgeline.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest (webhook secrets, forge API tokens) with AES-256-GCM under the master key:
 * {@code FORGELINE_SECRET_KEY} (32 bytes, base64) or, when unset, a key generated once into
 * {@code $FORGELINE_HOME/secret.key} with mode 0600. Stored form: base64(12-byte nonce ‖ ciphertext ‖ tag).
 */
@Component
public class SecretBox {

    public static final String KEY_FILE = "secret.key";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final Path keyFile;

    @Autowired
    public SecretBox(ForgelineProperties settings) {
        this.key = new SecretKeySpec(masterKey(settings), "AES");
        this.keyFile = settings.secretKey() != null && !settings.secretKey().isBlank() ? null : settings.home().resolve(KEY_FILE);
    }

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        this.keyFile = null;
    }

    /** A box under another master key (base64 of 32 bytes), e.g. the new key of a rotation. */
    public static SecretBox withKey(String base64) {
        return new SecretBox(decodeKey(base64.strip(), "the new key"));
    }

    /** A fresh random master key, base64. */
    public static String generateKey() {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        return Base64.getEncoder().encodeToString(fresh);
    }

    /** The key file this box's key came from; empty when {@code FORGELINE_SECRET_KEY} set it. */
    public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }

    /** Writes a key file readable by its owner only (mode 0600 where the file system has modes). */
    public static void writeKeyFile(Path file, String base64) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, base64);
    }

    public String encrypt(String plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] stored = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** A key for one purpose (e.g. signing session cookies) derived from the master key, so there is one key to keep. */
    public byte[] derivedKey(String purpose) {
        return Hmac.sha256(key.getEncoded(), purpose.getBytes(StandardCharsets.UTF_8));
    }

    public String decrypt(String stored) {
        try {
            byte[] bytes = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored secret does not open with this master key: was FORGELINE_SECRET_KEY changed?", e);
        }
    }

    private static byte[] masterKey(ForgelineProperties settings) {
        if (settings.secretKey() != null && !settings.secretKey().isBlank()) {
            return decodeKey(settings.secretKey().strip(), "FORGELINE_SECRET_KEY");
        }
        Path file = settings.home().resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                DataFolder.create(settings.home());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
                } catch (FileAlreadyExistsException anotherProcessWasFirst) {
                    // Read the one it wrote below.
                } catch (UnsupportedOperationException noPosix) {
                    Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
                }
            }
            return decodeKey(Files.readString(file).strip(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key file " + file, e);
        }
    }

    private static byte[] decodeKey(String base64, String source) {
        String problem = keyProblem(base64);
        if (problem != null) {
            throw new IllegalArgumentException(source + " " + problem);
        }
        return Base64.getDecoder().decode(base64);
    }

    /**
     * What is wrong with a master key, said without the key itself (e.g. "is not base64"), or null when it is one.
     * Checked before the server starts, so that a wrong key ends in one line rather than a failed context.
     */
    public static String keyProblem(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            return "is not base64 (expected base64 of 32 random bytes: openssl rand -base64 32)";
        }
        return key.length == 32 ? null
                : "must hold 32 bytes (base64 of 32 random bytes: openssl rand -base64 32), not " + key.length;
    }
}
