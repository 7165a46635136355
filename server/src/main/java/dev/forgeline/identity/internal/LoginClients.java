package dev.forgeline.identity.internal;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.oauth2.client.CommonOAuth2Provider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.ForgelineProperties.Identity;

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
    Registrations loginRegistrations(ForgelineProperties settings) {
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
                registrations.add(ClientRegistrations.fromIssuerLocation(identity.oidc().issuerUri()).registrationId(OIDC)
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

    @Bean
    LoginPage.LoginProviders loginProviders(Registrations registrations) {
        return () -> registrations.all().stream().map(r -> new LoginPage.Provider(r.getRegistrationId(), r.getClientName())).toList();
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }
}
