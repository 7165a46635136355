package dev.forgeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.forgeline.cli.WebhookDelivery.Provider;

class WebhookDeliveryTest {

    @Test
    void signsLikeGithubDocumentsIt() {
        // The test vector from GitHub's "Validating webhook deliveries".
        assertThat(WebhookDelivery.hmacSha256("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void eachProviderGetsItsOwnHeaders() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        URI server = URI.create("http://localhost:8080");

        var github = new WebhookDelivery(Provider.GITHUB, "push", "d-1", body).request(server, 7, "s3cret");
        assertThat(github.uri()).isEqualTo(URI.create("http://localhost:8080/api/v1/webhooks/github/7"));
        assertThat(github.headers().firstValue("X-Hub-Signature-256")).hasValue("sha256=" + WebhookDelivery.hmacSha256("s3cret", body));
        assertThat(github.headers().firstValue("X-GitHub-Delivery")).hasValue("d-1");

        var gitlab = new WebhookDelivery(Provider.GITLAB, "Push Hook", "d-2", body).request(server, 7, "s3cret");
        assertThat(gitlab.headers().firstValue("X-Gitlab-Token")).hasValue("s3cret");
        assertThat(gitlab.headers().firstValue("Idempotency-Key")).hasValue("d-2");

        var gitea = new WebhookDelivery(Provider.GITEA, "push", "d-3", body).request(server, 7, "s3cret");
        assertThat(gitea.headers().firstValue("X-Gitea-Signature")).hasValue(WebhookDelivery.hmacSha256("s3cret", body));
    }

    @Test
    void eventTypeComesFromWhereThePayloadIsKept() {
        assertThat(WebhookCommand.eventOf(Provider.GITHUB, Path.of("pull_request", "closed.payload.json"))).isEqualTo("pull_request");
        assertThat(WebhookCommand.eventOf(Provider.GITLAB, Path.of("merge_request.json"))).isEqualTo("Merge Request Hook");
        assertThat(WebhookCommand.eventOf(Provider.GITLAB, Path.of("note_commit.json"))).isEqualTo("Note Hook");
        assertThatThrownBy(() -> WebhookCommand.eventOf(Provider.GITHUB, Path.of("loose.json")))
                .hasMessageContaining("--event");
    }
}
