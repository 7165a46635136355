package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.AUDIT_EVENT;
import static dev.forgeline.schema.Tables.FORGE_IDENTITY_LINK;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import dev.forgeline.test.ForgelineTest;

/**
 * OpenID Connect login end to end against a real authorisation server (Spring Authorization Server) on loopback:
 * the user signs in there, consents, and comes back with a code that Forgeline exchanges for a verified ID token.
 */
@ForgelineTest
class OidcLoginTest {

    static final String CLIENT = "forgeline";
    static final String CLIENT_SECRET = "oidc-client-secret-0123456789";
    static final String USER = "octo";
    static final String PASSWORD = "octo password 123";
    private static ConfigurableApplicationContext authorizationServer;
    private static String issuer;

    @Autowired DSLContext db;
    @LocalServerPort int port;

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        authorizationServer = new SpringApplicationBuilder(AuthorizationServer.class)
                .run("--server.port=0", "--spring.main.banner-mode=off", "--forgeline.port=0", "--management.server.port=",
                        "--management.endpoint.health.group.readiness.include=readinessState",
                        "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
        issuer = "http://127.0.0.1:" + authorizationServer.getEnvironment().getProperty("local.server.port");
        registry.add("forgeline.db.pool-size", () -> "5");
        // A server past its first run (an admin token is set): /login shows the sign-in page, not the way to /setup.
        registry.add("forgeline.admin-token", () -> "oidc-login-test-admin-0123456789");
        registry.add("forgeline.identity.oidc.name", () -> "Company SSO");
        registry.add("forgeline.identity.oidc.issuer-uri", () -> issuer);
        registry.add("forgeline.identity.oidc.client-id", () -> CLIENT);
        registry.add("forgeline.identity.oidc.client-secret", () -> CLIENT_SECRET);
        // The provider runs on loopback, which the server refuses to request unless told (see OutboundRefusalTest).
        registry.add("forgeline.outbound.allowed-ranges", () -> "127.0.0.0/8");
    }

    @AfterAll
    static void stop() {
        if (authorizationServer != null) {
            authorizationServer.close();
        }
    }

    @BeforeEach
    void redirectBackToThisServer() {
        AuthorizationServer.redirectUri = "http://localhost:" + port + "/login/oauth2/code/oidc";
        AuthorizationServer.codeLifetime = Duration.ofMinutes(5);
    }

    /** A browser: cookies per host (localhost is Forgeline, 127.0.0.1 the provider), redirects followed by the test. */
    final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String form) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.uri() + ": " + answer.body()).isEqualTo(302);
        return answer.headers().firstValue("Location").orElseThrow();
    }

    private static String field(String html, String name) {
        Matcher matcher = Pattern.compile("<input[^>]*name=\"" + name + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
        assertThat(matcher.find()).as(name + " in " + html).isTrue();
        return matcher.group(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Signs in at the provider and answers its consent page; returns where the provider sends the browser back. */
    private String signInAtProvider(boolean consent) throws Exception {
        String authorize = location(get("http://localhost:" + port + "/oauth2/authorization/oidc"));
        assertThat(authorize).startsWith(issuer + "/oauth2/authorize");
        HttpResponse<String> consentPage = get(authorize);
        if (consentPage.statusCode() == 302 && location(consentPage).startsWith(issuer + "/login")) {
            String csrf = field(get(location(consentPage)).body(), "_csrf");
            String back = location(post(issuer + "/login", "username=" + USER + "&password=" + encode(PASSWORD) + "&_csrf=" + encode(csrf)));
            consentPage = get(back.startsWith("http") ? back : issuer + back);
        }
        String state = field(consentPage.body(), "state");
        String scopes = consent ? "&scope=profile" : "";
        return location(post(issuer + "/oauth2/authorize", "client_id=" + CLIENT + "&state=" + encode(state) + scopes));
    }

    private long failures() {
        return db.fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("login.failed"));
    }

    @Test
    void theLoginPageOffersTheProviderAndAPendingLoginLivesInASealedCookieNotAServerSession() throws Exception {
        assertThat(get("http://localhost:" + port + "/login").body()).contains("/oauth2/authorization/oidc").contains("Sign in with Company SSO");
        HttpResponse<String> start = get("http://localhost:" + port + "/oauth2/authorization/oidc");
        assertThat(start.headers().allValues("Set-Cookie"))
                .anyMatch(c -> c.startsWith(AuthorizationRequestCookie.COOKIE + "=") && c.contains("HttpOnly") && c.contains("SameSite=Lax"))
                .noneMatch(c -> c.startsWith("JSESSIONID"));
        assertThat(start.headers().allValues("Set-Cookie").toString()).doesNotContain(CLIENT_SECRET);
    }

    @Test
    void signingInAtTheProviderStartsASessionAndLinksTheProvenIdentity() throws Exception {
        String callback = signInAtProvider(true);
        assertThat(callback).startsWith("http://localhost:" + port + "/login/oauth2/code/oidc?code=");
        HttpResponse<String> landed = get(callback);
        assertThat(location(landed)).endsWith("/");
        assertThat(landed.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith(SessionCookies.COOKIE + "=") && c.contains("HttpOnly"));
        assertThat(get("http://localhost:" + port + "/api/v1/orgs").statusCode()).as("the session works on the API").isEqualTo(200);
        assertThat(db.fetchCount(FORGE_IDENTITY_LINK, FORGE_IDENTITY_LINK.PROVIDER.eq("oidc").and(FORGE_IDENTITY_LINK.LOGIN.eq(USER))))
                .as("the identity the provider proved is linked to the person").isEqualTo(1);
        assertThat(db.fetchExists(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("login.succeeded").and(AUDIT_EVENT.DETAIL.eq("oidc")))).isTrue();
    }

    @Test
    void aWrongStateIsRefused() throws Exception {
        long before = failures();
        String callback = signInAtProvider(true);
        String forged = callback.replaceFirst("state=[^&]+", "state=" + UUID.randomUUID());
        assertThat(location(get(forged))).endsWith("/login?error");
        assertThat(get("http://localhost:" + port + "/api/v1/orgs").statusCode()).isEqualTo(401);
        assertThat(failures()).isEqualTo(before + 1);
    }

    @Test
    void anInvalidOrExpiredCodeIsRefused() throws Exception {
        String callback = signInAtProvider(true);
        String invalid = callback.replaceFirst("code=[^&]+", "code=not-a-code-the-provider-issued");
        assertThat(location(get(invalid))).endsWith("/login?error");

        AuthorizationServer.codeLifetime = Duration.ofSeconds(1);
        String expiring = signInAtProvider(true);
        Thread.sleep(2500);
        assertThat(location(get(expiring))).endsWith("/login?error");
        assertThat(get("http://localhost:" + port + "/api/v1/orgs").statusCode()).isEqualTo(401);
        assertThat(db.select(AUDIT_EVENT.DETAIL).from(AUDIT_EVENT).where(AUDIT_EVENT.ACTION.eq("login.failed")).fetch(AUDIT_EVENT.DETAIL))
                .anyMatch(detail -> detail != null && detail.contains("invalid_grant"));
    }

    @Test
    void aDeniedConsentSignsNobodyIn() throws Exception {
        long before = failures();
        String callback = signInAtProvider(false);
        assertThat(callback).contains("error=access_denied");
        assertThat(location(get(callback))).endsWith("/login?error");
        assertThat(get("http://localhost:" + port + "/api/v1/orgs").statusCode()).isEqualTo(401);
        assertThat(failures()).isEqualTo(before + 1);
    }

    /** A real OpenID provider for the test, with one user and one client that asks for consent. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AuthorizationServer {

        static volatile String redirectUri;
        static volatile Duration codeLifetime = Duration.ofMinutes(5);

        @Bean
        @Order(1)
        SecurityFilterChain authorizationEndpoints(HttpSecurity http) throws Exception {
            OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
            http.securityMatcher(server.getEndpointsMatcher())
                    .with(server, configurer -> configurer.oidc(Customizer.withDefaults()))
                    .authorizeHttpRequests(routes -> routes.anyRequest().authenticated())
                    .exceptionHandling(errors -> errors.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")));
            return http.build();
        }

        @Bean
        @Order(2)
        SecurityFilterChain loginForm(HttpSecurity http) throws Exception {
            http.authorizeHttpRequests(routes -> routes.anyRequest().authenticated()).formLogin(Customizer.withDefaults());
            return http.build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(User.withUsername(USER).password("{noop}" + PASSWORD).roles("USER").build());
        }

        @Bean
        RegisteredClientRepository clients() {
            return new RegisteredClientRepository() {
                @Override
                public void save(RegisteredClient client) {
                }

                @Override
                public RegisteredClient findById(String id) {
                    return client();
                }

                @Override
                public RegisteredClient findByClientId(String clientId) {
                    return CLIENT.equals(clientId) ? client() : null;
                }
            };
        }

        /** Built on each lookup, so that a test can change where it redirects to and how long its codes live. */
        static RegisteredClient client() {
            return RegisteredClient.withId("forgeline-client").clientId(CLIENT).clientSecret("{noop}" + CLIENT_SECRET)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri(redirectUri).scope("openid").scope("profile").scope("email")
                    .clientSettings(ClientSettings.builder().requireAuthorizationConsent(true).build())
                    .tokenSettings(TokenSettings.builder().authorizationCodeTimeToLive(codeLifetime).build())
                    .build();
        }

        @Bean
        JWKSource<SecurityContext> keys() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString()).build();
            return new ImmutableJWKSet<>(new JWKSet(key));
        }

        @Bean
        JwtDecoder jwtDecoder(JWKSource<SecurityContext> keys) {
            return NimbusJwtDecoder.withJwkSource(keys).build();
        }

        @Bean
        AuthorizationServerSettings authorizationServerSettings() {
            return AuthorizationServerSettings.builder().build();
        }
    }
}
