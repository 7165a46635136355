package dev.forgeline.web.internal;

import java.io.IOException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A fresh server leads to the setup page: while no admin exists, opening the server (or its sign-in page, where
 * nobody could sign in yet) goes to {@code /setup}. Runs before the security filters, which would send a stranger
 * to the sign-in page instead.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class FirstRunRedirect extends OncePerRequestFilter {

    private final SetupController setup;
    /** Setup never becomes pending again: once done, no request asks the database. */
    private volatile boolean done;

    FirstRunRedirect(SetupController setup) {
        this.setup = setup;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return done || !"GET".equals(request.getMethod()) || !(path.equals("/") || path.equals("/login"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (setup.pending()) {
            response.sendRedirect(request.getContextPath() + "/setup");
            return;
        }
        done = true;
        chain.doFilter(request, response);
    }
}
