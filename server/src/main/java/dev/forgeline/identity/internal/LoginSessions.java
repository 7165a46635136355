package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.ACCOUNT;
import static dev.forgeline.schema.Tables.LOGIN_SESSION;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import dev.forgeline.identity.Caller;

/** Browser sessions in the database, so that every web process honours them and logout ends them everywhere. */
@Repository
class LoginSessions {

    /** A browser session carries the account's full rights: it is a person at the keyboard, not a token for a script. */
    static final Set<String> SCOPES = Set.of("read", "write", "admin");

    private final DSLContext db;

    LoginSessions(DSLContext db) {
        this.db = db;
    }

    void create(long accountId, String token, Instant expiresAt) {
        db.insertInto(LOGIN_SESSION)
                .set(LOGIN_SESSION.TOKEN_HASH, Tokens.hash(token))
                .set(LOGIN_SESSION.ACCOUNT_ID, accountId)
                .set(LOGIN_SESSION.CREATED_AT, Instant.now().atOffset(ZoneOffset.UTC))
                .set(LOGIN_SESSION.EXPIRES_AT, expiresAt.atOffset(ZoneOffset.UTC))
                .execute();
    }

    Optional<Caller> find(String token, Instant now) {
        return db.select(ACCOUNT.ID, ACCOUNT.USERNAME, ACCOUNT.ADMIN).from(LOGIN_SESSION)
                .join(ACCOUNT).on(ACCOUNT.ID.eq(LOGIN_SESSION.ACCOUNT_ID))
                .where(LOGIN_SESSION.TOKEN_HASH.eq(Tokens.hash(token)))
                .and(LOGIN_SESSION.EXPIRES_AT.gt(now.atOffset(ZoneOffset.UTC)))
                .fetchOptional(r -> new Caller(r.value1(), r.value2(), r.value3(), SCOPES));
    }

    void delete(String token) {
        db.deleteFrom(LOGIN_SESSION).where(LOGIN_SESSION.TOKEN_HASH.eq(Tokens.hash(token))).execute();
    }

    int deleteExpired(Instant now) {
        return db.deleteFrom(LOGIN_SESSION).where(LOGIN_SESSION.EXPIRES_AT.lt(now.atOffset(ZoneOffset.UTC))).execute();
    }
}
