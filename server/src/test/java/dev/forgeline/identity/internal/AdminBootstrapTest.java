package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.API_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;

import org.jooq.Condition;
import org.jooq.DSLContext;
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
