package dev.forgeline.identity;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** The signed-in caller's own API tokens, for the dashboard: the same rules and audit as the tokens API. */
public interface PersonalTokens {

    record Token(long id, String name, Set<String> scopes, OffsetDateTime createdAt, OffsetDateTime expiresAt,
                 OffsetDateTime lastUsedAt) {
    }

    /** A token just created: the only time {@code secret} is shown. */
    record Created(long id, String name, Set<String> scopes, OffsetDateTime expiresAt, String secret) {
    }

    List<Token> mine();

    /** @throws IllegalArgumentException with a one-line reason when the request is refused */
    Created create(String name, List<String> scopes, Integer expiresInDays);

    /** false when the caller has no such active token */
    boolean revoke(long id);
}
