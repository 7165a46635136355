package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.API_TOKEN;
import static dev.forgeline.schema.Tables.AUDIT_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestHttp;

@ForgelineTest
class AdminBootstrapTest {

    static final String FIRST = "admin-bootstrap-first-0123456789";
    static final String SECOND = "admin-bootstrap-second-0123456789";

    @Autowired DSLContext db;
    @Autowired AdminBootstrap bootstrap;
    @Autowired Accounts accounts;
    @Autowired ApiTokens tokens;
    @LocalServerPort int port;

    long admin;
    List<Long> before;

    /** Other tests' contexts share the database and may hold the admin's token: it is given back afterwards. */
    @BeforeEach
    void rememberTheAdminToken() {
        bootstrap.bootstrap(null);
        admin = accounts.idOf(AdminBootstrap.ADMIN).orElseThrow();
        before = db.select(API_TOKEN.ID).from(API_TOKEN).where(bootstrapTokens()).and(API_TOKEN.REVOKED_AT.isNull()).fetch(API_TOKEN.ID);
    }

    @AfterEach
    void giveItBack() {
        db.update(API_TOKEN).set(API_TOKEN.REVOKED_AT, OffsetDateTime.now()).where(bootstrapTokens()).execute();
        db.update(API_TOKEN).setNull(API_TOKEN.REVOKED_AT).where(API_TOKEN.ID.in(before)).execute();
    }

    private Condition bootstrapTokens() {
        return API_TOKEN.ACCOUNT_ID.eq(admin).and(API_TOKEN.NAME.eq(AdminBootstrap.BOOTSTRAP_TOKEN));
    }

    private int statusWith(String token) {
        return new TestHttp(port, token).get("/api/v1/user/tokens").statusCode();
    }

    private List<String> adminTokenUses(long after) {
        return db.select(AUDIT_EVENT.ACTOR, AUDIT_EVENT.DETAIL).from(AUDIT_EVENT)
                .where(AUDIT_EVENT.ACTION.eq("admin-token.used")).and(AUDIT_EVENT.ID.gt(after)).orderBy(AUDIT_EVENT.ID)
                .fetch(r -> r.value1() + ": " + r.value2());
    }

    private long lastAuditId() {
        Long last = db.select(DSL.max(AUDIT_EVENT.ID)).from(AUDIT_EVENT).fetchOne(0, Long.class);
        return last == null ? 0 : last;
    }

    @Test
    void theAdminTokensFirstUseOfTheDayIsAuditedAndOtherTokensOfTheAdminAreNot() {
        bootstrap.bootstrap(FIRST);
        long start = lastAuditId();
        assertThat(statusWith(FIRST)).isEqualTo(200);
        assertThat(statusWith(FIRST)).isEqualTo(200);
        assertThat(new TestHttp(port, FIRST).get("/api/v1/orgs").statusCode()).isEqualTo(200);
        assertThat(adminTokenUses(start)).as("once a day, not per call")
                .containsExactly("admin: FORGELINE_ADMIN_TOKEN: GET /api/v1/user/tokens (its first use today on this process)");

        String personal = Tokens.generate("flp_");
        tokens.create(admin, "personal", personal, Set.of("read"), Instant.now().plusSeconds(600));
        long afterFirst = lastAuditId();
        assertThat(statusWith(personal)).isEqualTo(200);
        assertThat(adminTokenUses(afterFirst)).as("another token of the admin account").isEmpty();

        // A replaced token: the new one's first use is audited, even on a day the old one was.
        bootstrap.bootstrap(SECOND);
        assertThat(new TestHttp(port, SECOND).get("/api/v1/orgs").statusCode()).isEqualTo(200);
        assertThat(adminTokenUses(afterFirst)).containsExactly("admin: FORGELINE_ADMIN_TOKEN: GET /api/v1/orgs (its first use today on this process)");
    }

    @Test
    void anEarlierAdminTokenGivenAgainIsTakenBackNotRefused() {
        bootstrap.bootstrap(FIRST);
        assertThat(statusWith(FIRST)).isEqualTo(200);

        bootstrap.bootstrap(SECOND);
        assertThat(statusWith(SECOND)).isEqualTo(200);
        assertThat(statusWith(FIRST)).as("the replaced token no longer works").isEqualTo(401);

        // A process started with the first token again, e.g. a rollback of the setting: it used to fail to start,
        // its insert refused by the revoked row's unique hash.
        bootstrap.bootstrap(FIRST);
        assertThat(statusWith(FIRST)).isEqualTo(200);
        assertThat(statusWith(SECOND)).isEqualTo(401);
        assertThat(db.fetchCount(API_TOKEN, bootstrapTokens().and(API_TOKEN.REVOKED_AT.isNull()))).isEqualTo(1);

        assertThat(db.fetchCount(API_TOKEN, API_TOKEN.TOKEN_HASH.eq(Tokens.hash(FIRST)))).as("stored once").isEqualTo(1);
    }
}
