package dev.forgeline.ingest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;


import dev.forgeline.platform.Hmac;
import jakarta.servlet.http.HttpServletRequest;

/** The forges we take webhooks from, and how each one names and signs a delivery. */
enum Provider {

    GITHUB("X-GitHub-Event", "X-GitHub-Delivery") {
        @Override
        String refusal(HttpServletRequest request, String secret, byte[] body) {
            String signature = request.getHeader("X-Hub-Signature-256");
            if (signature == null) {
                return "missing X-Hub-Signature-256 header";
            }
            if (!signature.startsWith("sha256=")) {
                return "X-Hub-Signature-256 must be sha256=<hex>";
            }
            return sameBytes(signature.substring(7), hmacSha256(secret, body)) ? null : "X-Hub-Signature-256 does not match the body";
        }
    },

    GITLAB("X-Gitlab-Event", "Idempotency-Key (or X-Gitlab-Event-UUID)") {
        @Override
        Optional<String> deliveryId(HttpServletRequest request) {
            // Idempotency-Key stays the same across GitLab's retries; the event UUID is the older header.
            return header(request, "Idempotency-Key").or(() -> header(request, "X-Gitlab-Event-UUID"));
        }

        @Override
        String refusal(HttpServletRequest request, String secret, byte[] body) {
            String signature = request.getHeader("webhook-signature");
            if (signature != null) {
                return standardWebhookRefusal(request, signature, secret, body);
            }
            String token = request.getHeader("X-Gitlab-Token");
            if (token == null) {
                return "missing X-Gitlab-Token header";
            }
            return sameBytes(token, secret) ? null : "X-Gitlab-Token is not this connection's secret";
        }
    },

    GITEA("X-Gitea-Event", "X-Gitea-Delivery") {
        @Override
        String refusal(HttpServletRequest request, String secret, byte[] body) {
            String signature = request.getHeader("X-Gitea-Signature");
            if (signature == null) {
                return "missing X-Gitea-Signature header";
            }
            return sameBytes(signature, hmacSha256(secret, body)) ? null : "X-Gitea-Signature does not match the body";
        }
    };

    private final String eventHeader;
    private final String deliveryHeader;

    Provider(String eventHeader, String deliveryHeader) {
        this.eventHeader = eventHeader;
        this.deliveryHeader = deliveryHeader;
    }

    /** The header that names the event type, as an error message names it. */
    String eventHeader() {
        return eventHeader;
    }

    /** The header (or headers) that carry the delivery id, as an error message names them. */
    String deliveryHeader() {
        return deliveryHeader;
    }

    static Optional<Provider> parse(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    Optional<String> eventType(HttpServletRequest request) {
        return header(request, eventHeader);
    }

    /** The delivery's id, from the header error messages name; GitLab, which has two, looks at both. */
    Optional<String> deliveryId(HttpServletRequest request) {
        return header(request, deliveryHeader);
    }

    /** Why the delivery is not from the forge that holds the secret, or null when it is. */
    abstract String refusal(HttpServletRequest request, String secret, byte[] body);

    private static Optional<String> header(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** Newer GitLab signing tokens sign like Standard Webhooks; a signature older than this is a replay. */
    static final long MAX_SIGNATURE_AGE_SECONDS = 300;

    /**
     * Standard Webhooks (GitLab's signing token): webhook-signature holds space-separated "v1,<base64>" entries,
     * each an HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}"; a "whsec_" key is base64 after the prefix.
     */
    static String standardWebhookRefusal(HttpServletRequest request, String signatures, String secret, byte[] body) {
        String id = request.getHeader("webhook-id");
        String timestamp = request.getHeader("webhook-timestamp");
        if (id == null || timestamp == null) {
            return "webhook-signature needs webhook-id and webhook-timestamp headers";
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return "webhook-timestamp must be seconds since 1970";
        }
        if (Math.abs(java.time.Instant.now().getEpochSecond() - sentAt) > MAX_SIGNATURE_AGE_SECONDS) {
            return "webhook-timestamp is more than 5 minutes away: a replayed or delayed delivery";
        }
        byte[] key = secret.startsWith("whsec_")
                ? java.util.Base64.getDecoder().decode(secret.substring(6)) : secret.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (id + "." + sentAt + ".").getBytes(StandardCharsets.UTF_8);
        String expected = java.util.Base64.getEncoder().encodeToString(Hmac.sha256(key, prefix, body));
        for (String entry : signatures.strip().split(" +")) {
            if (entry.startsWith("v1,") && sameBytes(entry.substring(3), expected)) {
                return null;
            }
        }
        return "webhook-signature does not match the body";
    }

    /** Constant time: how much of a guess is right must not show in how long the answer takes. */
    private static boolean sameBytes(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    static String hmacSha256(String secret, byte[] body) {
        return Hmac.sha256Hex(secret, body);
    }
}
