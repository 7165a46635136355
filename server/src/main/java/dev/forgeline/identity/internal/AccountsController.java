package dev.forgeline.identity.internal;

import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.Caller;
import dev.forgeline.identity.internal.Accounts.AccountView;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Local accounts: site admins create them; everyone changes their own password. */
@RestController
@Tag(name = "Accounts")
class AccountsController {

    private final Accounts accounts;
    private final Passwords passwords;
    private final Audit audit;

    AccountsController(Accounts accounts, Passwords passwords, Audit audit) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.audit = audit;
    }

    /** @param password optional: without one, the person signs in through GitHub, GitLab or OpenID Connect */
    record NewAccount(String username, String displayName, String email, String password) {
    }

    record CreatedAccount(long id, String username) {
    }

    record PasswordChange(String currentPassword, String newPassword) {
    }

    @PostMapping("/api/v1/accounts")
    @Access(Rule.SITE_ADMIN)
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    @Operation(summary = "Create a local account, with or without a password")
    CreatedAccount create(@RequestBody NewAccount request) {
        String username = request.username() == null ? "" : request.username().strip();
        if (!FirstAdmin.USERNAME.matcher(username).matches()) {
            throw OrganisationsController.bad("username must be 1 to 100 letters, digits, dots, dashes or underscores");
        }
        String displayName = request.displayName() == null || request.displayName().isBlank() ? username : request.displayName().strip();
        if (displayName.length() > 200) {
            throw OrganisationsController.bad("displayName must be at most 200 characters");
        }
        String email = request.email() == null || request.email().isBlank() ? null : request.email().strip();
        if (email != null && (!email.contains("@") || email.length() > 320)) {
            throw OrganisationsController.bad("email must be an email address");
        }
        if (request.password() != null) {
            Passwords.check(request.password());
        }
        long id;
        try {
            id = accounts.create(username, displayName, email);
        } catch (DuplicateKeyException taken) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "the username '" + username + "' is taken");
        }
        if (request.password() != null) {
            passwords.setPassword(id, request.password());
        }
        audit.record("account.created", "account", Long.toString(id), username);
        return new CreatedAccount(id, username);
    }

    @GetMapping("/api/v1/accounts")
    @Access(Rule.SITE_ADMIN)
    @Operation(summary = "Every account (never a password hash)")
    List<AccountView> list() {
        return accounts.list();
    }

    @PostMapping("/api/v1/user/password")
    @Access(Rule.SIGNED_IN)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    @Operation(summary = "Change your password; give the current one if you have one")
    void changePassword(@RequestBody PasswordChange request) {
        Caller caller = Caller.current().orElseThrow();
        String current = accounts.credentials(caller.accountId()).orElseThrow().passwordHash();
        if (current != null && (request.currentPassword() == null || !passwords.matches(current, request.currentPassword()))) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "the current password is wrong");
        }
        passwords.setPassword(caller.accountId(), request.newPassword());
        audit.record("account.password-changed", "account", Long.toString(caller.accountId()), null);
    }
}
