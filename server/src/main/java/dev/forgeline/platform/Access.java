package dev.forgeline.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a route: every controller method (or its class) declares one rule, and identity enforces it before
 * the method runs. A route without a rule is served to site admins only and fails the isolation matrix test.
 * Token scopes apply on top of every rule but {@link Rule#PUBLIC}: reading needs {@code read}, changing {@code write}.
 */
@Documented
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Access {

    Rule value();

    enum Rule {
        /** Anyone, signed in or not (the login page, webhooks that prove their sender by signature). */
        PUBLIC,
        /** Any signed-in caller; the route shows only what the caller's organisations own and answers 404 for the rest. */
        SIGNED_IN,
        /** Members of the organisation named by the route's {@code {org}} variable, any role; others get 404. */
        ORG_MEMBER,
        /** Managers, admins and owners of the {@code {org}}; a developer gets 403, a non-member 404. */
        ORG_MANAGER,
        /** Admins and owners of the {@code {org}}. */
        ORG_ADMIN,
        /** Owners of the {@code {org}}. */
        ORG_OWNER,
        /** Site admins, with a credential that has the {@code admin} scope. */
        SITE_ADMIN
    }
}
