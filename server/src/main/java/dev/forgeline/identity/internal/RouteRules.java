package dev.forgeline.identity.internal;

import java.util.Map;
import java.util.Optional;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrgRole;
import dev.forgeline.identity.Organisation;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Enforces the {@link Access} rule each Forgeline route declares, before the controller runs. The order of the
 * checks is what keeps organisations apart: membership first (a non-member gets 404 whatever else is wrong),
 * then the token's scope, then the role.
 */
@Configuration(proxyBeanMethods = false)
class RouteRules implements HandlerInterceptor, WebMvcConfigurer {

    /** Routes of Forgeline's own controllers are checked; framework routes (errors, API docs) have chain rules. */
    static final String OWN_PACKAGE = "dev.forgeline.";
    /** What a route without a declared rule gets: site admins only, so a forgotten rule never opens data. */
    static final Rule UNDECLARED = Rule.SITE_ADMIN;

    /** The organisation and role found here, so that resolving the route's OrgAccess does not look them up again. */
    static final String MEMBERSHIP = RouteRules.class.getName() + ".membership";

    record Membership(Organisation organisation, OrgRole role) {
    }

    private final MembershipLookup memberships;

    RouteRules(MembershipLookup memberships) {
        this.memberships = memberships;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    /** The rule a handler declares on its method or class, if any. */
    static Optional<Rule> declared(HandlerMethod handler) {
        Access access = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), Access.class);
        if (access == null) {
            access = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), Access.class);
        }
        return Optional.ofNullable(access).map(Access::value);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || !method.getBeanType().getName().startsWith(OWN_PACKAGE)) {
            return true;
        }
        Rule rule = declared(method).orElse(UNDECLARED);
        if (rule == Rule.PUBLIC) {
            return true;
        }
        Caller caller = Caller.current().orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "sign in first"));
        OrgRole least = leastRole(rule);
        OrgRole role = null;
        if (least != null) {
            String slug = orgVariable(request);
            Membership membership = memberships.of(slug, caller)
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no organisation '" + slug + "'"));
            role = membership.role();
            request.setAttribute(MEMBERSHIP, membership);
        }
        boolean reads = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (!caller.scopes().contains(reads ? "read" : "write")) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "this token lacks the " + (reads ? "read" : "write") + " scope");
        }
        if (rule == Rule.SITE_ADMIN && !caller.actsAsAdmin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "only a site admin (with an admin-scoped credential) may do this");
        }
        if (least != null && !role.atLeast(least)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "this needs the " + least.name().toLowerCase() + " role or higher");
        }
        return true;
    }

    static OrgRole leastRole(Rule rule) {
        return switch (rule) {
            case ORG_MEMBER -> OrgRole.DEVELOPER;
            case ORG_MANAGER -> OrgRole.MANAGER;
            case ORG_ADMIN -> OrgRole.ADMIN;
            case ORG_OWNER -> OrgRole.OWNER;
            case PUBLIC, SIGNED_IN, SITE_ADMIN -> null;
        };
    }

    private static String orgVariable(HttpServletRequest request) {
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String slug = variables == null ? null : variables.get("org");
        if (slug == null) {
            throw new IllegalStateException(request.getRequestURI() + " declares an organisation rule but its route has no {org} variable");
        }
        return slug;
    }
}
