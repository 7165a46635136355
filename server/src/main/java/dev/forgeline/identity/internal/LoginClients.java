package dev.forgeline.identity.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.oauth2.client.CommonOAuth2Provider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.ForgelineProperties.Identity;
import dev.forgeline.platform.OutboundAddresses;

/** The GitHub, GitLab and OpenID Connect logins the settings configure, as Spring Security client registrations. */
@Configuration(proxyBeanMethods = false)
class LoginClients {

    static final String GITHUB = "github";
    static final String GITLAB = "gitlab";
    static final String OIDC = "oidc";
    private static final String REDIRECT = "{baseUrl}/login/oauth2/code/{registrationId}";
    private static final Logger log = LoggerFactory.getLogger(LoginClients.class);

    /** Registrations in button order; empty when no provider is configured. */
    record Registrations(List<ClientRegistration> all) {
    }

    @Bean
    Registrations loginRegistrations(ForgelineProperties settings, OutboundAddresses outbound) {
        Identity identity = settings.identity();
        List<ClientRegistration> registrations = new ArrayList<>();
        if (set(identity.github().clientId())) {
            registrations.add(CommonOAuth2Provider.GITHUB.getBuilder(GITHUB).clientName("GitHub")
                    .clientId(identity.github().clientId()).clientSecret(identity.github().clientSecret())
                    .scope("read:user", "user:email").build());
        }
        if (set(identity.gitlab().clientId())) {
            String base = identity.gitlab().baseUrl().replaceAll("/+$", "");
            registrations.add(ClientRegistration.withRegistrationId(GITLAB).clientName("GitLab")
                    .clientId(identity.gitlab().clientId()).clientSecret(identity.gitlab().clientSecret())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).redirectUri(REDIRECT)
                    .scope("read_user")
                    .authorizationUri(base + "/oauth/authorize").tokenUri(base + "/oauth/token")
                    .userInfoUri(base + "/api/v4/user").userNameAttributeName("username").build());
        }
        if (set(identity.oidc().issuerUri()) && set(identity.oidc().clientId())) {
            try {
                registrations.add(ClientRegistrations.fromOidcConfiguration(discovery(identity.oidc().issuerUri(), outbound))
                        .registrationId(OIDC)
                        .clientName(identity.oidc().name()).clientId(identity.oidc().clientId())
                        .clientSecret(identity.oidc().clientSecret()).redirectUri(REDIRECT)
                        .scope("openid", "profile", "email").build());
            } catch (RuntimeException unreachable) {
                // The password form still works; the button comes back with the next start.
                log.warn("OpenID Connect provider {} did not answer its discovery document ({}); its login is off until the next start",
                        identity.oidc().issuerUri(), unreachable.getMessage());
            }
        }
        return new Registrations(List.copyOf(registrations));
    }

    /**
     * The provider's discovery document, read through the outbound check (Spring's own discovery follows redirects to
     * any address). As OpenID Connect Discovery requires, it must name the issuer it was read from.
     */
    private static Map<String, Object> discovery(String issuer, OutboundAddresses outbound) {
        Map<String, Object> configuration = RestClient.builder().requestFactory(outbound.requestFactory()).build().get()
                .uri(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration").retrieve()
                .body(new ParameterizedTypeReference<Map<String, Object>>() { });
        if (configuration == null || !issuer.equals(configuration.get("issuer"))) {
            throw new IllegalStateException("the discovery document names another issuer than " + issuer);
        }
        return configuration;
    }

    /**
     * The clients of a login's code exchange and user-info request, given to the login configuration by
     * {@link SecurityConfiguration}: Spring Security's defaults are the same clients on an unchecked connection that
     * follows redirects, where these go through the outbound address check.
     */
    record LoginRequests(OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokens,
                         OAuth2UserService<OAuth2UserRequest, OAuth2User> userInfo,
                         OAuth2UserService<OidcUserRequest, OidcUser> oidcUserInfo) {
    }

    @Bean
    LoginRequests loginRequests(OutboundAddresses outbound) {
        RestClientAuthorizationCodeTokenResponseClient tokens = new RestClientAuthorizationCodeTokenResponseClient();
        tokens.setRestClient(RestClient.builder().requestFactory(outbound.requestFactory())
                .configureMessageConverters(converters -> converters.addCustomConverter(new FormHttpMessageConverter())
                        .addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter()))
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler()).build());
        RestTemplate rest = new RestTemplate(outbound.requestFactory());
        rest.setErrorHandler(new OAuth2ErrorResponseErrorHandler());
        DefaultOAuth2UserService userInfo = new DefaultOAuth2UserService();
        userInfo.setRestOperations(rest);
        OidcUserService oidcUserInfo = new OidcUserService();
        oidcUserInfo.setOauth2UserService(userInfo);
        return new LoginRequests(tokens, userInfo, oidcUserInfo);
    }

    /**
     * Built as Spring Security's OidcIdTokenDecoderFactory builds it (RS256, timestamps and ID token claims checked);
     * its login configuration takes it as a bean, having no setter for it.
     */
    @Bean
    JwtDecoderFactory<ClientRegistration> loginIdTokenDecoders(OutboundAddresses outbound) {
        RestTemplate rest = new RestTemplate(outbound.requestFactory());
        Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
        return registration -> decoders.computeIfAbsent(registration.getRegistrationId(), id -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256).restOperations(rest).build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(), new OidcIdTokenValidator(registration)));
            decoder.setClaimSetConverter(OidcIdTokenDecoderFactory.createDefaultClaimTypeConverter());
            return decoder;
        });
    }

    @Bean
    LoginPage.LoginProviders loginProviders(Registrations registrations) {
        return () -> registrations.all().stream().map(r -> new LoginPage.Provider(r.getRegistrationId(), r.getClientName())).toList();
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }
}
