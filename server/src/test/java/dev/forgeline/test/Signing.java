package dev.forgeline.test;

import dev.forgeline.platform.Hmac;

/** Signs a test delivery as GitHub and Gitea do: hex HMAC-SHA256 of the body under the webhook secret. */
public final class Signing {

    private Signing() {
    }

    public static String hmacSha256(String secret, byte[] body) {
        return Hmac.sha256Hex(secret, body);
    }
}
