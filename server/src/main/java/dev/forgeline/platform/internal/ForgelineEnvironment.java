package dev.forgeline.platform.internal;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.ForgelineProperties.Role;

/**
 * Turns the few {@code forgeline.*} settings a user sets into the Spring properties they imply, so that
 * docs/configuration.md is the whole story: the database URL picks the driver and SQL dialect, the log
 * format picks structured logging, and a process without the web role publishes no API documentation.
 */
public class ForgelineEnvironment implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // Last in line: anything set explicitly as a Spring property still wins.
        environment.getPropertySources().addLast(new DerivedProperties(environment));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /**
     * Computed when asked, not when added: settings from sources added later (a test's initializer,
     * a profile) are then still the ones the database and logging follow.
     */
    static final class DerivedProperties extends PropertySource<Object> {

        /** Binding the settings reads every property source, this one too: answer nothing meanwhile. */
        private static final ThreadLocal<Boolean> BINDING = ThreadLocal.withInitial(() -> false);

        private final ConfigurableEnvironment environment;

        // The environment is kept aside, not as this source's source: Spring walks into a source that is an
        // environment as if its property sources were nested here, which would never end.
        DerivedProperties(ConfigurableEnvironment environment) {
            super("forgelineDerived", new Object());
            this.environment = environment;
        }

        @Override
        public Object getProperty(String name) {
            if (BINDING.get()) {
                return null;
            }
            BINDING.set(true);
            try {
                return derive(name);
            } finally {
                BINDING.set(false);
            }
        }

        private Object derive(String name) {
            return switch (name) {
                case "server.port" -> settings().port();
                case "spring.datasource.url" -> settings().effectiveDbUrl();
                case "spring.datasource.username" -> settings().db().effectiveUser(settings().home());
                case "spring.datasource.password" -> settings().db().effectivePassword();
                case "spring.datasource.hikari.maximum-pool-size" -> settings().db().poolSize();
                case "spring.datasource.hikari.connection-timeout" -> settings().db().connectionTimeout().toMillis();
                case "spring.jooq.sql-dialect" -> postgres(settings()) ? "POSTGRES" : "H2";
                case "logging.structured.format.console" ->
                        settings().log().format() == ForgelineProperties.Log.Format.JSON ? "logstash" : null;
                case "springdoc.api-docs.enabled" -> settings().hasRole(Role.WEB);
                default -> null;
            };
        }

        private ForgelineProperties settings() {
            return ForgelineProperties.bind(environment);
        }

        private static boolean postgres(ForgelineProperties settings) {
            return settings.db().isPostgres(settings.home());
        }
    }
}
