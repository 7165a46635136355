package dev.forgeline.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;

/**
 * Every {@code forgeline.*} setting, each also settable as an environment variable
 * ({@code forgeline.db.url} = {@code FORGELINE_DB_URL}). docs/configuration.md documents each one.
 */
@ConfigurationProperties("forgeline")
public record ForgelineProperties(
        @DefaultValue("./data") Path home,
        @DefaultValue("8080") int port,
        @DefaultValue({"web", "worker", "scheduler"}) List<Role> roles,
        String adminToken,
        String secretKey,
        @DefaultValue Db db,
        @DefaultValue Log log,
        @DefaultValue Jobs jobs,
        @DefaultValue Audit audit,
        @DefaultValue Ingest ingest,
        @DefaultValue Compliance compliance,
        @DefaultValue Identity identity,
        @DefaultValue Analytics analytics,
        @DefaultValue Web web,
        @DefaultValue Outbound outbound) {

    public static final String PREFIX = "forgeline";
    static final int MIN_ADMIN_TOKEN_LENGTH = 20;

    public ForgelineProperties {
        if (adminToken != null && !adminToken.isBlank() && adminToken.strip().length() < MIN_ADMIN_TOKEN_LENGTH) {
            throw new InvalidSetting("forgeline.admin-token", "FORGELINE_ADMIN_TOKEN", "the admin token must be at least " + MIN_ADMIN_TOKEN_LENGTH
                    + " characters (e.g. openssl rand -hex 24)");
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("give at least one role: web, worker or scheduler");
        }
    }

    /**
     * A setting refused by a check of its group; names the property, since binding reports the group's name.
     * The message never holds the value: some settings are secrets.
     */
    public static final class InvalidSetting extends IllegalArgumentException {
        private final String property;
        private final String variable;

        public InvalidSetting(String property, String reason) {
            this(property, environmentVariable(property), reason);
        }

        /** @param variable the environment variable as the docs spell it, where that is not the derived one */
        public InvalidSetting(String property, String variable, String reason) {
            super(reason);
            this.property = property;
            this.variable = variable;
        }

        public String property() {
            return property;
        }

        public String variable() {
            return variable;
        }
    }

    /** What a process does; several processes on one PostgreSQL may split these between them. */
    public enum Role {
        /** Serves the dashboard, the API and webhooks. */
        WEB,
        /** Runs jobs from the queue. */
        WORKER,
        /** Keeps recurring jobs on the queue according to their schedule. */
        SCHEDULER
    }

    /**
     * @param connectionTimeout how long a request waits for a connection before it answers 503: under a forge's
     *                          10 s delivery timeout, and short enough that callers are not held while the database is away
     */
    public record Db(String url, String user, String password, @DefaultValue("20") int poolSize,
                     @DefaultValue("2s") Duration connectionTimeout) {

        public Db {
            // HikariCP's own floor; above 8 s a webhook would wait past what its sender allows.
            if (connectionTimeout.toMillis() < 250 || connectionTimeout.toSeconds() > 8) {
                throw new IllegalArgumentException("forgeline.db.connection-timeout must be between 250ms and 8s");
            }
        }

        /** The JDBC URL in effect: the configured one, or the embedded H2 file database under {@code home}. */
        public String effectiveUrl(Path home) {
            if (url != null && !url.isBlank()) {
                return url;
            }
            Path file = home.toAbsolutePath().normalize().resolve("db").resolve("forgeline");
            // Lower-case identifiers and NULLS LAST make H2 read the same SQL the way PostgreSQL does;
            // WRITE_DELAY=0 writes each commit before it returns, so an acknowledged webhook survives a killed process.
            return "jdbc:h2:file:" + file + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        }

        public boolean isPostgres(Path home) {
            return effectiveUrl(home).startsWith("jdbc:postgresql:");
        }

        /** The user in effect: the configured one, else PostgreSQL's usual superuser or H2's default. */
        public String effectiveUser(Path home) {
            return user != null ? user : (isPostgres(home) ? "postgres" : "sa");
        }

        public String effectivePassword() {
            return password != null ? password : "";
        }
    }

    public record Log(@DefaultValue("text") Format format) {
        public enum Format { TEXT, JSON }
    }

    public record Jobs(
            @DefaultValue("16") int threads,
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("10s") Duration heartbeatInterval,
            @DefaultValue({"30s", "2m", "5m"}) List<Duration> retryDelays,
            @DefaultValue("30d") Duration deadLetterRetention,
            @DefaultValue("5m") Duration stuckAfter) {
    }

    public record Audit(@DefaultValue("180d") Duration retention) {
    }

    public record Ingest(@DefaultValue("90d") Duration retention, @DefaultValue("5m") Duration stuckAfter,
                         @DefaultValue("25MB") org.springframework.util.unit.DataSize maxBody,
                         @DefaultValue("50") int batchSize) {
        public Ingest {
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("forgeline.ingest.batch-size must be between 1 and 1000");
            }
        }
    }

    /**
     * Course compliance and reports: the period teams are scored over, the level thresholds, how often scores are
     * refreshed without new events, and how long snapshots and generated reports are kept.
     */
    public record Compliance(@DefaultValue("84d") Duration window, @DefaultValue("80") int green,
                             @DefaultValue("50") int amber, @DefaultValue("1h") Duration rescoreAfter,
                             @DefaultValue("180d") Duration snapshotRetention, @DefaultValue("7d") Duration reportRetention) {
        public Compliance {
            if (amber < 0 || green > 100 || amber >= green) {
                throw new IllegalArgumentException("compliance thresholds need 0 <= amber < green <= 100");
            }
        }
    }

    /**
     * Sign-in, sessions and rate limits.
     *
     * @param sessionLifetime how long a browser session lasts after signing in
     * @param rateLimit       requests each caller may make per route group, refilled continuously
     * @param github          sign in with GitHub (an OAuth app), when its client id is set
     * @param gitlab          sign in with GitLab (gitlab.com or a self-managed instance), when its client id is set
     * @param oidc            sign in with any OpenID Connect provider, when its issuer and client id are set
     */
    public record Identity(@DefaultValue("12h") Duration sessionLifetime, @DefaultValue RateLimit rateLimit,
                           @DefaultValue Github github, @DefaultValue Gitlab gitlab, @DefaultValue Oidc oidc) {

        public record Github(String clientId, String clientSecret) {
        }

        public record Gitlab(String clientId, String clientSecret, @DefaultValue("https://gitlab.com") String baseUrl) {
        }

        public record Oidc(@DefaultValue("OpenID Connect") String name, String issuerUri, String clientId, String clientSecret) {
        }

        /**
         * Token buckets per caller: {@code capacity} requests at once, refilled at {@code perMinute}. Webhooks count
         * per connection and are sized for a busy organisation; API calls per token or account; logins per IP.
         */
        public record RateLimit(
                @DefaultValue("true") boolean enabled,
                @DefaultValue("120000") long webhookPerMinute, @DefaultValue("20000") long webhookBurst,
                @DefaultValue("1200") long apiPerMinute, @DefaultValue("300") long apiBurst,
                @DefaultValue("10") long loginPerMinute, @DefaultValue("20") long loginBurst) {
        }
    }

    /**
     * The server's own requests (a forge's API, a login provider).
     *
     * @param allowedRanges internal address ranges (CIDR) the server may nevertheless request, e.g. a self-managed
     *                      GitLab at 10.0.3.7: {@code 10.0.3.0/24}; see {@link OutboundAddresses}
     */
    public record Outbound(List<String> allowedRanges) {
        public Outbound {
            allowedRanges = allowedRanges == null ? List.of() : List.copyOf(allowedRanges);
            for (String range : allowedRanges) {
                try {
                    OutboundAddresses.Range.parse(range);
                } catch (IllegalArgumentException e) {
                    throw new InvalidSetting(OutboundAddresses.ALLOWED_RANGES, e.getMessage());
                }
            }
        }
    }

    /** Engineering metrics: which events count as what, alert thresholds, snapshot retention. */
    public record Analytics(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("UTC") java.time.ZoneId timeZone,
            @DefaultValue("(?i)^(production|prod|live)([-_/ .].*)?$") String productionEnvironments,
            @DefaultValue("incident") String incidentLabel,
            @DefaultValue("180d") Duration snapshotRetention,
            @DefaultValue("3") int inactivityWorkingDays,
            @DefaultValue("24h") Duration reviewWait,
            @DefaultValue("2.0") double reviewerOverload,
            @DefaultValue("15") double scoreDrop,
            @DefaultValue("30s") Duration directoryTtl,
            @DefaultValue("15s") Duration answerTtl) {
    }

    /**
     * @param trustedProxies addresses or CIDR ranges of the reverse proxies whose {@code Forwarded} and
     *                       {@code X-Forwarded-*} headers are believed; none by default
     */
    public record Web(@DefaultValue List<String> trustedProxies) {
        public Web {
            for (String proxy : trustedProxies) {
                // IP literals only: a host name would be looked up on every request.
                if (!proxy.matches("(\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)(/\\d{1,3})?")) {
                    throw new IllegalArgumentException("forgeline.web.trusted-proxies takes IP addresses or CIDR ranges, not '"
                            + proxy + "'");
                }
            }
        }
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    public String effectiveDbUrl() {
        return db.effectiveUrl(home);
    }

    /** Binds the settings from an environment; a wrong value fails with a BindException naming the property. */
    public static ForgelineProperties bind(Environment environment) {
        return Binder.get(environment)
                .bindOrCreate(PREFIX, Bindable.of(ForgelineProperties.class));
    }

    /** The environment variable that sets a property, for messages: forgeline.db.url → FORGELINE_DB_URL. */
    public static String environmentVariable(String property) {
        return property.replace('.', '_').replace("-", "").replace("[", "_").replace("]", "")
                .toUpperCase(Locale.ROOT);
    }
}
