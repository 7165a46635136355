package dev.forgeline.platform.internal;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.ForgelineProperties.Role;

/**
 * Turns the few {@code forgeline.*} settings a user sets into the Spring properties they imply, so that
 * docs/configuration.md is the whole story: the database URL picks the driver and SQL dialect, the log
 * format picks structured logging, and a process without the web role serves only its actuator endpoints.
 */
public class ForgelineEnvironment implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ForgelineProperties settings = ForgelineProperties.bind(environment);
        Map<String, Object> derived = new HashMap<>();
        derived.put("server.port", settings.port());
        derived.put("spring.datasource.url", settings.effectiveDbUrl());
        boolean postgres = settings.db().isPostgres(settings.home());
        derived.put("spring.datasource.username", settings.db().user() != null ? settings.db().user() : (postgres ? "postgres" : "sa"));
        derived.put("spring.datasource.password", settings.db().password() != null ? settings.db().password() : "");
        derived.put("spring.datasource.hikari.maximum-pool-size", settings.db().poolSize());
        derived.put("spring.jooq.sql-dialect", postgres ? "POSTGRES" : "H2");
        if (settings.log().format() == ForgelineProperties.Log.Format.JSON) {
            derived.put("logging.structured.format.console", "logstash");
        }
        if (!settings.hasRole(Role.WEB)) {
            derived.put("springdoc.api-docs.enabled", false);
        }
        // Last in line: anything set explicitly as a Spring property still wins.
        environment.getPropertySources().addLast(new MapPropertySource("forgelineDerived", derived));
    }

    @Override
    public int getOrder() {
        // After config data (application.properties) is loaded, so that file can set forgeline.* too.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
