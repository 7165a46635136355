package dev.forgeline.ingest.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.audit.Audit;
import dev.forgeline.ingest.internal.Connections.Connection;
import dev.forgeline.platform.Access;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Access(Access.Rule.SITE_ADMIN)
@RequestMapping("/api/v1/connections")
@Tag(name = "Connections")
class ConnectionsController {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connections connections;
    private final Audit audit;

    ConnectionsController(Connections connections, Audit audit) {
        this.connections = connections;
        this.audit = audit;
    }

    record NewConnection(String provider, String name, String secret, String baseUrl, String apiToken) {
    }

    /** The only answer that ever holds the secret: paste it into the forge's webhook settings. */
    record CreatedConnection(long id, String provider, String name, String webhookUrl, String secret) {
    }

    record ConnectionView(long id, String provider, String name, String baseUrl, String webhookUrl, String createdAt) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    @Operation(summary = "Connect a forge account, group or instance; the answer holds the webhook secret, shown only this once")
    CreatedConnection create(@RequestBody NewConnection request) {
        Provider provider = request.provider() == null ? null : Provider.parse(request.provider()).orElse(null);
        if (provider == null) {
            throw bad("provider must be github, gitlab or gitea");
        }
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            throw bad("name must be 1 to 200 characters");
        }
        String secret = request.secret() == null || request.secret().isBlank() ? generatedSecret() : request.secret();
        if (secret.length() < 16 || secret.length() > 200) {
            throw bad("secret must be 16 to 200 characters (or leave it out to have one generated)");
        }
        Connection created = connections.create(provider, name, secret, blankToNull(request.baseUrl()), blankToNull(request.apiToken()));
        audit.record("connection.created", "connection", Long.toString(created.id()), provider.id() + " '" + name + "'");
        return new CreatedConnection(created.id(), provider.id(), name, webhookUrl(created), secret);
    }

    @GetMapping
    @Operation(summary = "Forge connections, without their secrets")
    List<ConnectionView> list() {
        return connections.list().stream().map(c -> new ConnectionView(c.id(), c.provider().id(), c.name(), c.baseUrl(),
                webhookUrl(c), c.createdAt().toString())).toList();
    }

    static String webhookUrl(Connection connection) {
        return "/api/v1/webhooks/" + connection.provider().id() + "/" + connection.id();
    }

    private static String generatedSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static ResponseStatusException bad(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }
}
