package dev.forgeline.identity.internal;

import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.FirstRun;
import dev.forgeline.platform.ForgelineProperties;

@Component
class FirstAdmin implements FirstRun {

    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Accounts accounts;
    private final Passwords passwords;
    private final Audit audit;
    private final TransactionTemplate transaction;
    private final boolean adminTokenConfigured;

    FirstAdmin(Accounts accounts, Passwords passwords, Audit audit, TransactionTemplate transaction, ForgelineProperties settings) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.audit = audit;
        this.transaction = transaction;
        this.adminTokenConfigured = settings.adminToken() != null && !settings.adminToken().isBlank();
    }

    @Override
    public boolean pending() {
        return !adminTokenConfigured && !accounts.anyWithPassword();
    }

    @Override
    public synchronized long createAdmin(String username, String displayName, String password) {
        String name = username == null ? "" : username.strip();
        if (!USERNAME.matcher(name).matches()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "username must be 1 to 100 letters, digits, dots, dashes or underscores");
        }
        String display = displayName == null || displayName.isBlank() ? name : displayName.strip();
        Passwords.check(password);
        return transaction.execute(status -> {
            if (!pending()) {
                throw new IllegalStateException("the first admin is set up already");
            }
            long id = accounts.idOf(name).or(() -> accounts.idOf(AdminBootstrap.ADMIN))
                    .orElseGet(() -> accounts.createAdmin(name, display));
            accounts.rename(id, name, display);
            accounts.makeAdmin(id, display);
            passwords.setPassword(id, password);
            audit.record("account.first-admin", "account", Long.toString(id), name);
            return id;
        });
    }
}
