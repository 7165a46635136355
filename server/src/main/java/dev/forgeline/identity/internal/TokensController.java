package dev.forgeline.identity.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.Caller;
import dev.forgeline.identity.internal.ApiTokens.TokenInfo;
import dev.forgeline.platform.Access;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Personal API tokens: each account creates, lists and revokes its own. */
@RestController
@Access(Access.Rule.SIGNED_IN)
@RequestMapping("/api/v1/user/tokens")
@Tag(name = "API tokens")
class TokensController {

    static final Set<String> SCOPES = Set.of("read", "write", "admin");
    static final int DEFAULT_DAYS = 90;
    static final int MAX_DAYS = 366;

    private final ApiTokens tokens;
    private final Audit audit;

    TokensController(ApiTokens tokens, Audit audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    /** @param expiresInDays 1 to 366; 90 when absent. Tokens always expire: a forgotten token stops working. */
    record NewToken(String name, List<String> scopes, Integer expiresInDays) {
    }

    record CreatedToken(long id, String name, Set<String> scopes, OffsetDateTime expiresAt, String token) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    @Operation(summary = "Create a token; the answer holds the token, shown only this once")
    CreatedToken create(@RequestBody NewToken request) {
        Caller caller = caller();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw bad("name must be 1 to 100 characters");
        }
        if (request.scopes() == null || request.scopes().isEmpty() || !SCOPES.containsAll(request.scopes())) {
            throw bad("scopes must be a non-empty list of read, write, admin");
        }
        Set<String> scopes = new LinkedHashSet<>(request.scopes());
        if (scopes.contains("admin") && !caller.actsAsAdmin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "only an admin can create a token with the admin scope");
        }
        if (!caller.scopes().containsAll(scopes)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "a token cannot create a token with more scopes than its own");
        }
        int days = request.expiresInDays() == null ? DEFAULT_DAYS : request.expiresInDays();
        if (days < 1 || days > MAX_DAYS) {
            throw bad("expiresInDays must be 1 to " + MAX_DAYS);
        }
        Instant expiresAt = Instant.now().plus(Duration.ofDays(days));
        String token = Tokens.generate("flp_");
        long id = tokens.create(caller.accountId(), name, token, scopes, expiresAt);
        audit.record("token.created", "token", Long.toString(id), "'" + name + "' with scopes " + String.join(",", scopes));
        return new CreatedToken(id, name, scopes, expiresAt.atOffset(ZoneOffset.UTC), token);
    }

    @GetMapping
    @Operation(summary = "Your active tokens (never the tokens themselves)")
    List<TokenInfo> list() {
        return tokens.listActive(caller().accountId(), Instant.now());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    @Operation(summary = "Revoke one of your tokens; it stops working at once")
    void revoke(@PathVariable long id) {
        if (!tokens.revoke(caller().accountId(), id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "you have no active token " + id);
        }
        audit.record("token.revoked", "token", Long.toString(id), null);
    }

    private static Caller caller() {
        return Caller.current().orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "sign in first"));
    }

    private static ResponseStatusException bad(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }
}
