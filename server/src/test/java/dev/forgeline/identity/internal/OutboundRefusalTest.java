package dev.forgeline.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserRequest;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.test.context.TestPropertySource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.OutboundAddresses;
import dev.forgeline.test.ForgelineTest;

/**
 * Without {@code forgeline.outbound.allowed-ranges}, the server sends none of its own requests to a loopback address:
 * the GitLab import and every request of a login (discovery, code exchange, user info, ID token keys) are refused with
 * a message naming the address and the setting, and the server on loopback sees no request at all.
 */
@ForgelineTest
// No worker: it would claim other test servers' GitLab imports from the shared queue and refuse them.
@TestPropertySource(properties = {"forgeline.admin-token=" + OutboundRefusalTest.ADMIN_TOKEN, "forgeline.db.pool-size=5",
        "forgeline.roles=web"})
class OutboundRefusalTest {

    static final String ADMIN_TOKEN = "outbound-refusal-admin-0123456789";
    static final String GITLAB_TOKEN = "glpat-refusal-9a8b7c6d5e4f3a2b1c0d";

    @Autowired OutboundAddresses outbound;
    @Autowired GitlabGroupReader reader;
    @Autowired LoginClients.LoginRequests login;
    @Autowired JwtDecoderFactory<ClientRegistration> idTokens;

    HttpServer provider;
    final List<String> providerRequests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.createContext("/", exchange -> {
            providerRequests.add(exchange.getRequestURI().toString());
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        provider.start();
    }

    @AfterEach
    void stop() {
        provider.stop(0);
    }

    /**
     * The reader the import job runs, called in this server: a queued job could be claimed by another test's server on
     * the same database, with other settings.
     */
    @Test
    void aGitlabImportFromALoopbackAddressIsRefusedAndGitlabSeesNoRequest() throws Exception {
        try (FakeGitlab gitlab = new FakeGitlab(GITLAB_TOKEN)) {
            gitlab.object("/api/v4/groups/courses%2Fx", FakeGitlab.group(1, "X", "x", "courses/x", null));
            // A name that resolves to loopback, not only a literal address.
            String baseUrl = gitlab.baseUrl().replace("127.0.0.1", "localhost");
            assertThatThrownBy(() -> reader.read(baseUrl, GITLAB_TOKEN, "courses/x"))
                    .isInstanceOf(GitlabGroupReader.GitlabApiException.class)
                    .hasMessageStartingWith("GitLab at " + baseUrl + " was not requested: localhost resolves to ")
                    .hasMessageContaining("a loopback address")
                    .hasMessageContaining("forgeline.outbound.allowed-ranges (FORGELINE_OUTBOUND_ALLOWEDRANGES)");
            assertThat(gitlab.requests).as("nothing was sent to the loopback address").isEmpty();
        }
    }

    @Test
    void everyRequestOfALoginToALoopbackProviderIsRefused() throws Exception {
        String base = "http://127.0.0.1:" + provider.getAddress().getPort();
        ClientRegistration registration = ClientRegistration.withRegistrationId("oidc").clientId("forgeline").clientSecret("s")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).redirectUri("http://localhost/login/oauth2/code/oidc")
                .scope("openid").authorizationUri(base + "/authorize").tokenUri(base + "/token").userInfoUri(base + "/userinfo")
                .userNameAttributeName("sub").jwkSetUri(base + "/jwks").issuerUri(base).build();

        OAuth2AuthorizationExchange exchange = new OAuth2AuthorizationExchange(
                OAuth2AuthorizationRequest.authorizationCode().authorizationUri(base + "/authorize").clientId("forgeline")
                        .redirectUri("http://localhost/login/oauth2/code/oidc").state("state").build(),
                OAuth2AuthorizationResponse.success("code").redirectUri("http://localhost/login/oauth2/code/oidc").state("state").build());
        assertThatThrownBy(() -> login.tokens().getTokenResponse(new OAuth2AuthorizationCodeGrantRequest(registration, exchange)))
                .hasMessageContaining("127.0.0.1 resolves to 127.0.0.1, a loopback address");

        OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "t", Instant.now(), Instant.now().plusSeconds(60));
        assertThatThrownBy(() -> login.userInfo().loadUser(new OAuth2UserRequest(registration, access)))
                .hasMessageContaining("a loopback address");

        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder().subject("octo").issuer(base).build());
        idToken.sign(new RSASSASigner(keys.generateKeyPair().getPrivate()));
        assertThatThrownBy(() -> idTokens.createDecoder(registration).decode(idToken.serialize()))
                .hasStackTraceContaining("a loopback address");

        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "forgeline.identity.oidc.issuer-uri", base, "forgeline.identity.oidc.client-id", "forgeline")));
        assertThat(new LoginClients().loginRegistrations(ForgelineProperties.bind(environment), outbound).all())
                .as("discovery refused: no login button").isEmpty();

        assertThat(providerRequests).as("the provider on loopback saw no request").isEmpty();
    }
}
