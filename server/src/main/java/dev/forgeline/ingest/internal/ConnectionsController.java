package dev.forgeline.ingest.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

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
    /** The column's size (connection.base_url). */
    static final int MAX_BASE_URL = 500;
    /** Fits connection.api_token_encrypted (2,000) once sealed and in base64; forge tokens are under 100. */
    static final int MAX_API_TOKEN = 1000;

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
        // Counted in UTF-8 bytes: the encrypted secret must fit its column whatever the alphabet.
        int secretBytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (secret.length() < 16 || secretBytes > 200) {
            throw bad("secret must be 16 to 200 characters (bytes in UTF-8), or leave it out to have one generated");
        }
        String baseUrl = baseUrl(blankToNull(request.baseUrl()));
        String apiToken = blankToNull(request.apiToken());
        // A token travels in an HTTP header: visible ASCII only, and short enough to fit its column once encrypted.
        if (apiToken != null && (apiToken.length() > MAX_API_TOKEN || !apiToken.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw bad("apiToken must be at most " + MAX_API_TOKEN + " visible ASCII characters");
        }
        Connection created = connections.create(provider, name, secret, baseUrl, apiToken);
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

    /**
     * The forge's address, or a 400 naming the field: only http and https with a host, no user or password in it,
     * since later requests to it carry the connection's token.
     */
    private static String baseUrl(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_BASE_URL) {
            throw bad("baseUrl must be at most " + MAX_BASE_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw bad("baseUrl is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw bad("baseUrl must be an http or https address, e.g. https://gitlab.example.com");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad("baseUrl must be the forge's address alone (scheme, host, optional port and path), e.g. https://gitlab.example.com");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static ResponseStatusException bad(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }
}
