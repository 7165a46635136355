package dev.forgeline.identity.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.platform.ForgelineProperties;

/**
 * A fresh server has an admin account. With {@code FORGELINE_ADMIN_TOKEN} set, that token is the admin's
 * API token (so automation can configure a new server); without it, a one-time setup token valid for
 * 24 hours is written to the log once, when the admin is created.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    static final String ADMIN = "admin";
    static final String BOOTSTRAP_TOKEN = "bootstrap";
    static final String SETUP_TOKEN = "setup";
    static final Duration SETUP_TOKEN_LIFETIME = Duration.ofHours(24);

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final Accounts accounts;
    private final ApiTokens tokens;
    private final TransactionTemplate transaction;
    private final String adminToken;
    private final AdminTokenUses uses;

    AdminBootstrap(Accounts accounts, ApiTokens tokens, TransactionTemplate transaction, ForgelineProperties settings,
                   AdminTokenUses uses) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.transaction = transaction;
        this.uses = uses;
        this.adminToken = settings.adminToken() == null || settings.adminToken().isBlank() ? null : settings.adminToken().strip();
    }

    @Override
    public void run(ApplicationArguments arguments) {
        bootstrap(adminToken);
    }

    void bootstrap(String adminToken) {
        boolean created = createAdminIfNone();
        accounts.idOf(ADMIN).ifPresent(adminId -> transaction.executeWithoutResult(status -> {
            if (adminToken != null) {
                if (!tokens.exists(adminId, BOOTSTRAP_TOKEN, adminToken)) {
                    tokens.revokeNamed(adminId, BOOTSTRAP_TOKEN);
                    // A token given again after another replaced it still has its (revoked) row: the hash is unique.
                    if (!tokens.reinstate(adminId, BOOTSTRAP_TOKEN, adminToken)) {
                        tokens.create(adminId, BOOTSTRAP_TOKEN, adminToken, Set.of("read", "write", "admin"), null);
                    }
                    log.info("admin API token taken from FORGELINE_ADMIN_TOKEN");
                }
            } else if (created) {
                String setup = Tokens.generate("fls_");
                tokens.create(adminId, SETUP_TOKEN, setup, Set.of("read", "write", "admin"), Instant.now().plus(SETUP_TOKEN_LIFETIME));
                log.warn("First start: one-time setup token for the admin account (valid 24 h, shown only now): {}", setup);
            }
        }));
        // Also a token an earlier start set: it stays valid until another replaces it, and its uses are audited.
        uses.tokenIs(accounts.idOf(ADMIN).flatMap(id -> tokens.activeHash(id, BOOTSTRAP_TOKEN, Instant.now())).orElse(null));
    }

    /** @return true when this process created the admin; another process starting at once may win instead */
    private boolean createAdminIfNone() {
        if (accounts.any()) {
            return false;
        }
        try {
            accounts.createAdmin(ADMIN, "Administrator");
            return true;
        } catch (DuplicateKeyException anotherProcessWasFirst) {
            return false;
        }
    }
}
