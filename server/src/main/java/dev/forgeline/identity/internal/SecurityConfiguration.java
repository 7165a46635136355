package dev.forgeline.identity.internal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Route rules. Webhooks authenticate by their forge signature, health and metrics are open for probes and
 * scrapers, the admin API needs an admin, and everything else a signed-in caller.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

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
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiTokens tokens, ProblemWriter problems) throws Exception {
        http.csrf(csrf -> csrf.ignoringRequestMatchers("/api/**"))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .addFilterBefore(new BearerTokenFilter(tokens, problems), AuthorizationFilter.class)
                .authorizeHttpRequests(routes -> routes
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/api/v1/admin/**", "/api/v1/connections", "/api/v1/connections/**").hasRole("ADMIN")
                        // Each route's @Access rule (roles, organisations, token scopes) is enforced by RouteRules.
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) ->
                                problems.write(response, 401, "sign in, or send Authorization: Bearer <API token>"))
                        .accessDeniedHandler((request, response, e) ->
                                problems.write(response, 403, "your account or token lacks the rights for this")));
        return http.build();
    }
}
