package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.ACCOUNT;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Repository;

import dev.forgeline.identity.OrganisationsChanged;

@Repository
class Accounts {

    private final DSLContext db;
    private final ApplicationEventPublisher events;

    Accounts(DSLContext db, ApplicationEventPublisher events) {
        this.db = db;
        this.events = events;
    }

    /** An account as a site admin sees it in a list: never its password hash. */
    record AccountView(long id, String username, String displayName, String email, boolean admin, boolean hasPassword,
                       OffsetDateTime createdAt) {
    }

    /** What signing in with a password needs to know. */
    record Credentials(long id, String username, boolean admin, String passwordHash) {
    }

    boolean any() {
        return db.fetchExists(ACCOUNT);
    }

    boolean exists(long id) {
        return db.fetchExists(ACCOUNT, ACCOUNT.ID.eq(id));
    }

    boolean anyWithPassword() {
        return db.fetchExists(ACCOUNT, ACCOUNT.PASSWORD_HASH.isNotNull());
    }

    Optional<Long> idOf(String username) {
        return db.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.USERNAME.eq(username)).fetchOptional(ACCOUNT.ID);
    }

    /** The wanted username made safe, with a number added when someone has it already. */
    String freeUsername(String wanted) {
        String base = wanted.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        String candidate = base;
        for (int n = 2; idOf(candidate).isPresent(); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }

    Optional<Credentials> credentials(String username) {
        return db.select(ACCOUNT.ID, ACCOUNT.USERNAME, ACCOUNT.ADMIN, ACCOUNT.PASSWORD_HASH).from(ACCOUNT)
                .where(ACCOUNT.USERNAME.eq(username))
                .fetchOptional(r -> new Credentials(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    Optional<Credentials> credentials(long id) {
        return db.select(ACCOUNT.ID, ACCOUNT.USERNAME, ACCOUNT.ADMIN, ACCOUNT.PASSWORD_HASH).from(ACCOUNT)
                .where(ACCOUNT.ID.eq(id))
                .fetchOptional(r -> new Credentials(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    List<AccountView> list() {
        return db.selectFrom(ACCOUNT).orderBy(ACCOUNT.USERNAME)
                .fetch(r -> new AccountView(r.getId(), r.getUsername(), r.getDisplayName(), r.getEmail(), r.getAdmin(),
                        r.getPasswordHash() != null, r.getCreatedAt()));
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

    /** @return false when there is no such account */
    boolean setPasswordHash(long id, String hash) {
        return db.update(ACCOUNT).set(ACCOUNT.PASSWORD_HASH, hash).where(ACCOUNT.ID.eq(id)).execute() == 1;
    }

    void makeAdmin(long id, String displayName) {
        db.update(ACCOUNT).set(ACCOUNT.ADMIN, true).set(ACCOUNT.DISPLAY_NAME, displayName).where(ACCOUNT.ID.eq(id)).execute();
    }

    void rename(long id, String username, String displayName) {
        db.update(ACCOUNT).set(ACCOUNT.USERNAME, username).set(ACCOUNT.DISPLAY_NAME, displayName).where(ACCOUNT.ID.eq(id)).execute();
        events.publishEvent(new OrganisationsChanged(null)); // members are listed and found by username
    }

    long create(String username, String displayName, String email) {
        return db.insertInto(ACCOUNT)
                .set(ACCOUNT.USERNAME, username)
                .set(ACCOUNT.DISPLAY_NAME, displayName)
                .set(ACCOUNT.EMAIL, email)
                .set(ACCOUNT.ADMIN, false)
                .set(ACCOUNT.CREATED_AT, Instant.now().atOffset(ZoneOffset.UTC))
                .returning(ACCOUNT.ID)
                .fetchOne(ACCOUNT.ID);
    }
}
