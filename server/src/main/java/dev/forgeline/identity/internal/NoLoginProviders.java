package dev.forgeline.identity.internal;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Without OAuth or OpenID settings the login page offers the password form alone. */
@Configuration(proxyBeanMethods = false)
class NoLoginProviders {

    @Bean
    @ConditionalOnMissingBean
    LoginPage.LoginProviders loginProviders() {
        return List::of;
    }
}
