package dev.forgeline.identity.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.Caller;
import dev.forgeline.identity.ForgeIdentity;
import dev.forgeline.identity.Organisations;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * After a GitHub, GitLab or OpenID Connect login: finds the person the proven identity is linked to (or creates an
 * account for a first-time visitor, who sees nothing until an admin adds them to an organisation), links the forge
 * login the provider just proved, and starts a browser session.
 */
@Component
class ExternalLogin {

    private final Organisations organisations;
    private final Accounts accounts;
    private final SessionCookies sessions;
    private final Audit audit;
    private final TransactionTemplate transaction;

    ExternalLogin(Organisations organisations, Accounts accounts, SessionCookies sessions, Audit audit, TransactionTemplate transaction) {
        this.organisations = organisations;
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
        this.transaction = transaction;
    }

    /** What the provider proved: a login on a forge (or a subject at an OpenID provider), and maybe a verified email. */
    record Proven(String provider, String login, String email, String displayName) {

        static Proven of(String registration, OAuth2User user) {
            Map<String, Object> attributes = user.getAttributes();
            return switch (registration) {
                case LoginClients.GITHUB -> new Proven("github", text(attributes, "login"), text(attributes, "email"), text(attributes, "name"));
                case LoginClients.GITLAB -> new Proven("gitlab", text(attributes, "username"), text(attributes, "email"), text(attributes, "name"));
                default -> new Proven("oidc", text(attributes, "sub"),
                        Boolean.TRUE.equals(attributes.get("email_verified")) ? text(attributes, "email") : null,
                        Optional.ofNullable(text(attributes, "name")).orElse(text(attributes, "preferred_username")));
            };
        }

        String preferredUsername(OAuth2User user) {
            String preferred = text(user.getAttributes(), "preferred_username");
            return provider.equals("oidc") && preferred != null ? preferred : login;
        }
    }

    void succeeded(HttpServletRequest request, HttpServletResponse response, Authentication authentication) throws IOException {
        OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
        Proven proven = Proven.of(token.getAuthorizedClientRegistrationId(), token.getPrincipal());
        if (proven.login() == null) {
            failed(request, response, token.getAuthorizedClientRegistrationId() + " did not say who signed in");
            return;
        }
        Caller caller = transaction.execute(status -> caller(proven, proven.preferredUsername(token.getPrincipal())));
        SecurityContextHolder.getContext().setAuthentication(CallerAuthentication.of(caller));
        sessions.start(caller, request, response);
        audit.record("login.succeeded", "account", Long.toString(caller.accountId()), token.getAuthorizedClientRegistrationId());
        response.sendRedirect(request.getContextPath() + "/");
    }

    void failed(HttpServletRequest request, HttpServletResponse response, String reason) throws IOException {
        audit.record("login.failed", "account", null, reason);
        response.sendRedirect(request.getContextPath() + "/login?error");
    }

    private Caller caller(Proven proven, String preferredUsername) {
        long accountId = organisations.personOf(proven.provider(), proven.login(), proven.email())
                .orElseGet(() -> organisations.createAccount(accounts.freeUsername(preferredUsername),
                        proven.displayName() == null ? preferredUsername : proven.displayName(), proven.email()));
        link(accountId, ForgeIdentity.login(proven.provider(), proven.login()));
        if (proven.email() != null) {
            link(accountId, ForgeIdentity.email(proven.email()));
        }
        var credentials = accounts.credentials(accountId).orElseThrow();
        return new Caller(accountId, credentials.username(), credentials.admin(), LoginSessions.SCOPES);
    }

    /** Links what the provider proved, unless it is linked already (to this person or, by an admin, to another). */
    private void link(long accountId, ForgeIdentity identity) {
        if (organisations.personOf(identity.provider(), identity.login(), identity.email()).isPresent()) {
            return;
        }
        try {
            organisations.linkIdentity(accountId, identity);
        } catch (DuplicateKeyException linkedMeanwhile) {
            // Another login of the same person won the race: the link exists, which is all we wanted.
        }
    }

    private static String text(Map<String, Object> attributes, String name) {
        Object value = attributes.get(name);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
