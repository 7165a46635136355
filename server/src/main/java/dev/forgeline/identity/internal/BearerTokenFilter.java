package dev.forgeline.identity.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.forgeline.identity.Caller;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code Authorization: Bearer <token>}: a known token signs the request in; a wrong one is refused at once. */
final class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";
    /** Marks a request signed in by a token, which must not start a browser session. */
    static final String BEARER = BearerTokenFilter.class.getName() + ".bearer";

    private final ApiTokens tokens;
    private final ProblemWriter problems;

    BearerTokenFilter(ApiTokens tokens, ProblemWriter problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Caller> holder = tokens.authenticate(header.substring(PREFIX.length()).strip(), Instant.now());
        if (holder.isEmpty()) {
            problems.write(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid, expired or revoked API token");
            return;
        }
        var authentication = CallerAuthentication.of(holder.get());
        request.setAttribute(BEARER, Boolean.TRUE);
        SecurityContextHolder.getContext().setAuthentication(authentication);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
