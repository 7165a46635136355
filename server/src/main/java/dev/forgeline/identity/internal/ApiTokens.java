package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.ACCOUNT;
import static dev.forgeline.schema.Tables.API_TOKEN;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import dev.forgeline.identity.Caller;

/** API tokens: created for an account, found by the hash of what a caller presents. */
@Repository
class ApiTokens {

    private final DSLContext db;

    ApiTokens(DSLContext db) {
        this.db = db;
    }

    /** Who a presented token belongs to, if it is known, unrevoked and unexpired. */
    Optional<Caller> authenticate(String token, Instant now) {
        return db.select(ACCOUNT.ID, ACCOUNT.USERNAME, ACCOUNT.ADMIN, API_TOKEN.SCOPES)
                .from(API_TOKEN).join(ACCOUNT).on(ACCOUNT.ID.eq(API_TOKEN.ACCOUNT_ID))
                .where(API_TOKEN.TOKEN_HASH.eq(Tokens.hash(token)))
                .and(API_TOKEN.REVOKED_AT.isNull())
                .and(API_TOKEN.EXPIRES_AT.isNull().or(API_TOKEN.EXPIRES_AT.gt(now.atOffset(ZoneOffset.UTC))))
                .fetchOptional(r -> new Caller(r.value1(), r.value2(), r.value3(), scopes(r.value4())));
    }

    /** A token as its owner sees it in a list: never the token itself, which is shown once at creation. */
    record TokenInfo(long id, String name, Set<String> scopes, OffsetDateTime createdAt, OffsetDateTime expiresAt,
                     OffsetDateTime lastUsedAt) {
    }

    List<TokenInfo> listActive(long accountId, Instant now) {
        return db.selectFrom(API_TOKEN)
                .where(API_TOKEN.ACCOUNT_ID.eq(accountId)).and(API_TOKEN.REVOKED_AT.isNull())
                .and(API_TOKEN.EXPIRES_AT.isNull().or(API_TOKEN.EXPIRES_AT.gt(now.atOffset(ZoneOffset.UTC))))
                .orderBy(API_TOKEN.ID)
                .fetch(r -> new TokenInfo(r.getId(), r.getName(), scopes(r.getScopes()), r.getCreatedAt(), r.getExpiresAt(),
                        r.getLastUsedAt()));
    }

    /** @return false when the account has no such active token */
    boolean revoke(long accountId, long tokenId) {
        return db.update(API_TOKEN).set(API_TOKEN.REVOKED_AT, Instant.now().atOffset(ZoneOffset.UTC))
                .where(API_TOKEN.ID.eq(tokenId)).and(API_TOKEN.ACCOUNT_ID.eq(accountId)).and(API_TOKEN.REVOKED_AT.isNull())
                .execute() == 1;
    }

    long create(long accountId, String name, String token, Set<String> scopes, Instant expiresAt) {
        return db.insertInto(API_TOKEN)
                .set(API_TOKEN.ACCOUNT_ID, accountId)
                .set(API_TOKEN.NAME, name)
                .set(API_TOKEN.TOKEN_HASH, Tokens.hash(token))
                .set(API_TOKEN.SCOPES, String.join(",", scopes))
                .set(API_TOKEN.CREATED_AT, Instant.now().atOffset(ZoneOffset.UTC))
                .set(API_TOKEN.EXPIRES_AT, expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC))
                .returning(API_TOKEN.ID)
                .fetchOne(API_TOKEN.ID);
    }

    boolean exists(long accountId, String name, String token) {
        return db.fetchExists(API_TOKEN, API_TOKEN.ACCOUNT_ID.eq(accountId).and(API_TOKEN.NAME.eq(name))
                .and(API_TOKEN.TOKEN_HASH.eq(Tokens.hash(token))).and(API_TOKEN.REVOKED_AT.isNull()));
    }

    /** Makes the revoked token with this name and value valid again; false when there is none. */
    boolean reinstate(long accountId, String name, String token) {
        return db.update(API_TOKEN).setNull(API_TOKEN.REVOKED_AT)
                .where(API_TOKEN.ACCOUNT_ID.eq(accountId)).and(API_TOKEN.NAME.eq(name))
                .and(API_TOKEN.TOKEN_HASH.eq(Tokens.hash(token))).and(API_TOKEN.REVOKED_AT.isNotNull())
                .execute() > 0;
    }

    /** The hash of the account's active, unexpired token of this name, if it has one. */
    Optional<String> activeHash(long accountId, String name, Instant now) {
        return db.select(API_TOKEN.TOKEN_HASH).from(API_TOKEN)
                .where(API_TOKEN.ACCOUNT_ID.eq(accountId)).and(API_TOKEN.NAME.eq(name)).and(API_TOKEN.REVOKED_AT.isNull())
                .and(API_TOKEN.EXPIRES_AT.isNull().or(API_TOKEN.EXPIRES_AT.gt(now.atOffset(ZoneOffset.UTC))))
                .orderBy(API_TOKEN.ID.desc()).limit(1)
                .fetchOptional(API_TOKEN.TOKEN_HASH);
    }

    int revokeNamed(long accountId, String name) {
        return db.update(API_TOKEN).set(API_TOKEN.REVOKED_AT, Instant.now().atOffset(ZoneOffset.UTC))
                .where(API_TOKEN.ACCOUNT_ID.eq(accountId)).and(API_TOKEN.NAME.eq(name)).and(API_TOKEN.REVOKED_AT.isNull())
                .execute();
    }

    private static Set<String> scopes(String stored) {
        return Arrays.stream(stored.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
