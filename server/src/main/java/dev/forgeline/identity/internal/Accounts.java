package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.ACCOUNT;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

@Repository
class Accounts {

    private final DSLContext db;

    Accounts(DSLContext db) {
        this.db = db;
    }

    boolean any() {
        return db.fetchExists(ACCOUNT);
    }

    Optional<Long> idOf(String username) {
        return db.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.USERNAME.eq(username)).fetchOptional(ACCOUNT.ID);
    }

    long createAdmin(String username, String displayName) {
        return db.insertInto(ACCOUNT)
                .set(ACCOUNT.USERNAME, username)
                .set(ACCOUNT.DISPLAY_NAME, displayName)
                .set(ACCOUNT.ADMIN, true)
                .set(ACCOUNT.CREATED_AT, Instant.now().atOffset(ZoneOffset.UTC))
                .returning(ACCOUNT.ID)
                .fetchOne(ACCOUNT.ID);
    }
}
