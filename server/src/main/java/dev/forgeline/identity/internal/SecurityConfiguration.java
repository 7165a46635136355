package dev.forgeline.identity.internal;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.CookieRequestCache;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.Caller;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Route rules. Webhooks authenticate by their forge signature; the API by a bearer token or the browser's session
 * cookie; pages by the session cookie, with a login page for everyone else. Which caller may use which route is
 * each route's {@code @Access} rule, enforced by {@link RouteRules}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

    static final String[] OPEN_PAGES = {"/login", "/setup", "/css/**", "/js/**", "/webjars/**", "/favicon.ico", "/error"};

    /**
     * Webhooks prove who sent them by the forge's signature, checked by the ingest module: this chain only lets
     * them through, with as few filters as Spring Security allows on the busiest route.
     */
    @Bean
    @Order(1)
    SecurityFilterChain webhookSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/v1/webhooks/**")
                .csrf(csrf -> csrf.disable())
                .headers(headers -> headers.disable())
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .sessionManagement(session -> session.disable())
                .anonymous(anonymous -> anonymous.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .authorizeHttpRequests(routes -> routes.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiTokens tokens, ProblemWriter problems, SessionCookies sessions,
                                    AdminTokenUses adminTokenUses) throws Exception {
        http.securityMatcher("/api/**", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                // Only the session cookie rides along with any request a browser makes: tokens need no CSRF check.
                .csrf(csrf -> csrf.spa().requireCsrfProtectionMatcher(
                        request -> changes(request) && SessionCookies.present(request) && !bearer(request)))
                .securityContext(context -> context.securityContextRepository(sessions))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .addFilterBefore(new BearerTokenFilter(tokens, problems), AuthorizationFilter.class)
                .addFilterAfter(adminTokenUses.filter(), BearerTokenFilter.class)
                .authorizeHttpRequests(routes -> routes
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers("/api/v1/admin/**", "/api/v1/connections", "/api/v1/connections/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) ->
                                problems.write(response, 401, "sign in, or send Authorization: Bearer <API token>"))
                        .accessDeniedHandler((request, response, e) ->
                                problems.write(response, 403, "your account or token lacks the rights for this")));
        return http.build();
    }

    /** Pages: a session cookie from the login form (or a forge/OpenID login), CSRF on every form post, logout. */
    @Bean
    @Order(3)
    SecurityFilterChain browserSecurity(HttpSecurity http, ApiTokens tokens, ProblemWriter problems, SessionCookies sessions,
                                        PasswordLogin passwordLogin, Audit audit, LoginClients.Registrations registrations,
                                        ExternalLogin externalLogin, AuthorizationRequestCookie pendingLogins,
                                        AdminTokenUses adminTokenUses, LoginClients.LoginRequests loginRequests) throws Exception {
        CookieRequestCache requestCache = new CookieRequestCache();
        SavedRequestAwareAuthenticationSuccessHandler backToPage = new SavedRequestAwareAuthenticationSuccessHandler();
        backToPage.setRequestCache(requestCache);
        http.csrf(csrf -> csrf.spa().requireCsrfProtectionMatcher(request -> changes(request) && !bearer(request)))
                .securityContext(context -> context.securityContextRepository(sessions))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.requestCache(requestCache))
                .httpBasic(basic -> basic.disable())
                .authenticationProvider(passwordLogin)
                .addFilterBefore(new BearerTokenFilter(tokens, problems), AuthorizationFilter.class)
                .addFilterAfter(adminTokenUses.filter(), BearerTokenFilter.class)
                .formLogin(form -> form.loginPage("/login").loginProcessingUrl("/login")
                        .successHandler((request, response, authentication) -> {
                            audit.record("login.succeeded", "account", accountId(authentication), "password");
                            backToPage.onAuthenticationSuccess(request, response, authentication);
                        })
                        .failureHandler((request, response, e) -> {
                            String username = request.getParameter("username");
                            audit.record("login.failed", "account", null,
                                    "password for '" + (username == null ? "" : username.strip().replaceAll("[^\\w.@-]", "?")) + "'");
                            response.sendRedirect(request.getContextPath() + "/login?error");
                        }))
                .logout(logout -> logout.logoutUrl("/logout")
                        .addLogoutHandler((request, response, authentication) -> {
                            if (authentication != null) {
                                audit.record("logout", "account", accountId(authentication), null);
                            }
                            sessions.end(request, response);
                        })
                        .logoutSuccessUrl("/login?logout"))
                .authorizeHttpRequests(routes -> routes
                        .requestMatchers(OPEN_PAGES).permitAll()
                        .requestMatchers("/oauth2/**", "/login/oauth2/**").permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")));
        if (!registrations.all().isEmpty()) {
            http.oauth2Login(oauth -> oauth.loginPage("/login")
                    .clientRegistrationRepository(new InMemoryClientRegistrationRepository(registrations.all()))
                    .authorizationEndpoint(endpoint -> endpoint.authorizationRequestRepository(pendingLogins))
                    // Through the outbound address check, see LoginClients.
                    .tokenEndpoint(token -> token.accessTokenResponseClient(loginRequests.tokens()))
                    .userInfoEndpoint(info -> info.userService(loginRequests.userInfo()).oidcUserService(loginRequests.oidcUserInfo()))
                    .successHandler(externalLogin::succeeded)
                    .failureHandler((request, response, e) -> externalLogin.failed(request, response, e.getMessage())));
        }
        return http.build();
    }

    static String accountId(Authentication authentication) {
        return authentication.getPrincipal() instanceof Caller caller ? Long.toString(caller.accountId()) : null;
    }

    private static boolean changes(HttpServletRequest request) {
        return switch (request.getMethod()) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> false;
            default -> true;
        };
    }

    private static boolean bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }
}
