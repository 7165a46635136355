package dev.forgeline.identity.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.forgeline.identity.internal.RateLimits.Group;
import io.github.bucket4j.ConsumptionProbe;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers 429 with Retry-After once a caller has used up its bucket: webhooks count per connection, the API per
 * token or browser session (per address when anonymous), sign-in attempts per address. Runs before authentication,
 * so a flood of wrong tokens or passwords costs no database lookup for each one.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private static final String WEBHOOKS = "/api/v1/webhooks/";

    private final RateLimits limits;
    private final ProblemWriter problems;

    RateLimitFilter(RateLimits limits, ProblemWriter problems) {
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        Group group;
        String caller;
        if (path.startsWith(WEBHOOKS)) {
            group = Group.WEBHOOK;
            caller = path.substring(path.lastIndexOf('/') + 1);
        } else if (path.startsWith("/api/")) {
            group = Group.API;
            caller = credential(request);
        } else if (path.equals("/login") && "POST".equals(request.getMethod())) {
            group = Group.LOGIN;
            caller = request.getRemoteAddr();
        } else {
            chain.doFilter(request, response);
            return;
        }
        ConsumptionProbe probe = limits.take(group, caller).orElse(null);
        if (probe == null) {
            chain.doFilter(request, response);
            return;
        }
        if (probe.isConsumed()) {
            response.setHeader("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        response.setHeader("Retry-After", Long.toString(seconds));
        problems.write(response, 429, "too many requests; retry in " + seconds + " s");
    }

    /** Who is calling, without a database lookup: a digest of the token or session cookie, else the address. */
    private static String credential(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.length() > 7) {
            return "t" + digest(header.substring(7).strip());
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (SessionCookies.COOKIE.equals(cookie.getName())) {
                    return "s" + digest(cookie.getValue());
                }
            }
        }
        return "a" + request.getRemoteAddr();
    }

    /** 96 bits of SHA-256: unique per credential in practice, and no usable secret in the bucket table. */
    private static String digest(String credential) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        /** Before Spring Security's filters (order -100), after the web role gate. */
        static final int ORDER = -150;

        @Bean
        FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimits limits, ProblemWriter problems) {
            FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(new RateLimitFilter(limits, problems));
            registration.setOrder(ORDER);
            registration.setEnabled(limits.enabled());
            return registration;
        }
    }
}
