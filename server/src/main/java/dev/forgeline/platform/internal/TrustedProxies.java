package dev.forgeline.platform.internal;

import java.io.IOException;
import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.ForwardedHeaderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.forgeline.platform.ForgelineProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Behind a TLS proxy the server sees plain HTTP from the proxy. A request that comes from a configured trusted
 * proxy is taken as its {@code Forwarded} or {@code X-Forwarded-*} headers describe it (https, the client's address,
 * the public host), so cookies are Secure and redirects https; from anyone else those headers are removed unread,
 * so that a client cannot claim another address or scheme.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class TrustedProxies extends OncePerRequestFilter {

    private final List<IpAddressMatcher> proxies;
    private final ForwardedHeaderFilter apply = new ForwardedHeaderFilter();
    private final ForwardedHeaderFilter remove = new ForwardedHeaderFilter();

    TrustedProxies(ForgelineProperties settings) {
        this.proxies = settings.web().trustedProxies().stream().map(IpAddressMatcher::new).toList();
        remove.setRemoveOnly(true);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String from = request.getRemoteAddr();
        boolean trusted = proxies.stream().anyMatch(proxy -> proxy.matches(from));
        (trusted ? apply : remove).doFilter(request, response, chain);
    }
}
