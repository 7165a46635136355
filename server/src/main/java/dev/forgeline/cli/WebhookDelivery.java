package dev.forgeline.cli;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import dev.forgeline.platform.Hmac;


/**
 * A webhook delivery signed the way each forge signs it, so that Forgeline cannot tell it from the real thing:
 * GitHub and Gitea send an HMAC-SHA256 of the body, GitLab sends the secret itself as a token.
 */
record WebhookDelivery(Provider provider, String event, String deliveryId, byte[] body) {

    enum Provider {
        GITHUB, GITLAB, GITEA;

        static Provider parse(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }

        String path() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static WebhookDelivery of(Provider provider, String event, byte[] body) {
        return new WebhookDelivery(provider, event, UUID.randomUUID().toString(), body);
    }

    HttpRequest request(URI server, long connectionId, String secret) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve("/api/v1/webhooks/" + provider.path() + "/" + connectionId))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        switch (provider) {
            case GITHUB -> request.header("X-GitHub-Event", event)
                    .header("X-GitHub-Delivery", deliveryId)
                    .header("X-Hub-Signature-256", "sha256=" + hmacSha256(secret, body))
                    .header("User-Agent", "GitHub-Hookshot/forgeline-cli");
            case GITLAB -> request.header("X-Gitlab-Event", event)
                    .header("X-Gitlab-Token", secret)
                    .header("X-Gitlab-Event-UUID", deliveryId)
                    .header("Idempotency-Key", deliveryId)
                    .header("User-Agent", "GitLab/forgeline-cli");
            case GITEA -> request.header("X-Gitea-Event", event)
                    .header("X-Gitea-Delivery", deliveryId)
                    .header("X-Gitea-Signature", hmacSha256(secret, body))
                    .header("User-Agent", "Gitea/forgeline-cli");
        }
        return request.build();
    }

    static String hmacSha256(String secret, byte[] body) {
        return Hmac.sha256Hex(secret, body);
    }
}
