package dev.forgeline.platform.internal;

import java.io.IOException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.ForgelineProperties.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A process without the web role still answers health and metrics (so it can be probed and scraped),
 * but nothing else: the API, dashboard and webhooks belong to web processes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebRoleFilter extends OncePerRequestFilter {

    private final boolean web;

    WebRoleFilter(ForgelineProperties settings) {
        this.web = settings.hasRole(Role.WEB);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return web || request.getRequestURI().startsWith("/actuator");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.sendError(HttpServletResponse.SC_NOT_FOUND, "this process does not have the web role");
    }
}
