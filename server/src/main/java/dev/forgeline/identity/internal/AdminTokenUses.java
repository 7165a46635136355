package dev.forgeline.identity.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.Caller;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Audits the admin token from {@code FORGELINE_ADMIN_TOKEN}, which never expires: its first use on each UTC day in
 * each process, as {@code admin-token.used} with the route (the audit keeps the address). Auditing every use would put a database write
 * on every call an automation makes; once a day keeps the token filter's cost to a comparison for other callers and
 * one hash for the admin's own.
 */
@Component
class AdminTokenUses {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenUses.class);
    private static final long DAY_MILLIS = 86_400_000L;

    private final Audit audit;
    /** {@link Tokens#hash} of the admin token in force; null when there is none. */
    private volatile String tokenHash;
    private final AtomicLong auditedDay = new AtomicLong(-1);

    AdminTokenUses(Audit audit) {
        this.audit = audit;
    }

    /** The admin token now in force (its hash); its first use is audited again, even on a day already audited. */
    void tokenIs(String hash) {
        tokenHash = hash;
        auditedDay.set(-1);
    }

    /** A bearer token signed this request in as {@code caller}. */
    void signedIn(Caller caller, String token, HttpServletRequest request) {
        String hash = tokenHash;
        if (hash == null || !AdminBootstrap.ADMIN.equals(caller.username())) {
            return;
        }
        long day = Math.floorDiv(System.currentTimeMillis(), DAY_MILLIS);
        if (auditedDay.get() == day
                || !MessageDigest.isEqual(hash.getBytes(StandardCharsets.UTF_8), Tokens.hash(token).getBytes(StandardCharsets.UTF_8))
                || auditedDay.getAndSet(day) == day) {
            return;
        }
        try {
            audit.record("admin-token.used", "account", Long.toString(caller.accountId()),
                    "FORGELINE_ADMIN_TOKEN: " + request.getMethod() + " " + abbreviated(request.getRequestURI())
                            + " (its first use today on this process)");
        } catch (DataAccessException e) {
            // The request meets the same database and answers for it; the next use tries the audit again.
            auditedDay.set(-1);
            log.warn("could not audit a use of the admin token: {}", e.getMessage());
        }
    }

    private static String abbreviated(String uri) {
        return uri.length() <= 200 ? uri : uri.substring(0, 200) + "…";
    }

    /** Runs after {@link BearerTokenFilter}, while the caller it signed in is the request's. */
    Filter filter() {
        return new Filter(this);
    }

    static final class Filter extends OncePerRequestFilter {
        private final AdminTokenUses uses;

        Filter(AdminTokenUses uses) {
            this.uses = uses;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getAttribute(BearerTokenFilter.BEARER) != null) {
                Caller.current().ifPresent(caller -> uses.signedIn(caller,
                        request.getHeader("Authorization").substring("Bearer ".length()).strip(), request));
            }
            chain.doFilter(request, response);
        }
    }
}
