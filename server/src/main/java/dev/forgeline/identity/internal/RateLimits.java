package dev.forgeline.identity.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.ForgelineProperties.Identity.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

/**
 * Token buckets per route group and caller. On PostgreSQL every web process shares the API and sign-in buckets
 * through the {@code rate_limit_bucket} table (Bucket4j, one row per caller, locked while it is updated); webhook
 * buckets, and every bucket on the embedded database, live in the process's memory.
 */
@Component
class RateLimits {

    /** The route groups, each with its own limit. */
    enum Group { WEBHOOK, API, LOGIN }

    /** Enough for a burst of a few thousand callers; beyond it, forgetting everyone's history is the cheap way out. */
    private static final int MAX_LOCAL_BUCKETS = 100_000;
    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

    private final RateLimit settings;
    private final Map<Group, BucketConfiguration> configurations;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> shared;
    /** Whether the shared buckets are out of reach: logged when that starts and ends, not on every request. */
    private final AtomicBoolean unenforced = new AtomicBoolean();

    RateLimits(ForgelineProperties properties, DataSource dataSource) {
        this.settings = properties.identity().rateLimit();
        this.configurations = Map.of(
                Group.WEBHOOK, configuration(settings.webhookBurst(), settings.webhookPerMinute()),
                Group.API, configuration(settings.apiBurst(), settings.apiPerMinute()),
                Group.LOGIN, configuration(settings.loginBurst(), settings.loginPerMinute()));
        this.shared = properties.db().isPostgres(properties.home())
                ? Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).primaryKeyMapper(PrimaryKeyMapper.STRING)
                        .table("rate_limit_bucket").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                        .build()
                : null;
    }

    boolean enabled() {
        return settings.enabled();
    }

    /**
     * Takes one request from the caller's bucket in the group; the probe says whether it was there, or how long to
     * wait. Empty when the shared buckets cannot be reached: the request goes on, and the database's own answer
     * (503 while it is away) is what the caller gets, never a 500 from the limiter.
     */
    Optional<ConsumptionProbe> take(Group group, String caller) {
        // The limits are part of the key: a changed setting starts fresh buckets instead of inheriting old ones.
        BucketConfiguration configuration = configurations.get(group);
        String key = group.name().toLowerCase() + "/" + limitsOf(group) + ":" + caller;
        try {
            Optional<ConsumptionProbe> probe = Optional.of(bucket(group, key, () -> configuration).tryConsumeAndReturnRemaining(1));
            if (unenforced.get() && unenforced.compareAndSet(true, false)) {
                log.warn("rate limits are enforced again");
            }
            return probe;
        } catch (RuntimeException unreachable) {
            if (unenforced.compareAndSet(false, true)) {
                log.warn("rate limits are not enforced while their table cannot be reached: {}", unreachable.toString());
            }
            return Optional.empty();
        }
    }

    /** Deletes shared buckets that have refilled completely: they hold nothing a new bucket would not. */
    int removeExpired() {
        return shared == null ? 0 : shared.removeExpired(1000);
    }

    /**
     * Webhook buckets stay in each process, even on PostgreSQL: a shared bucket is one row every delivery of a
     * connection would lock in turn, which caps the accept rate at one round trip at a time.
     */
    private Bucket bucket(Group group, String key, Supplier<BucketConfiguration> configuration) {
        if (shared != null && group != Group.WEBHOOK) {
            return ((ProxyManager<String>) shared).getProxy(key, configuration);
        }
        if (local.size() > MAX_LOCAL_BUCKETS) {
            local.clear();
        }
        return local.computeIfAbsent(key, k -> Bucket.builder().addLimit(configuration.get().getBandwidths()[0]).build());
    }

    private String limitsOf(Group group) {
        return switch (group) {
            case WEBHOOK -> settings.webhookBurst() + "-" + settings.webhookPerMinute();
            case API -> settings.apiBurst() + "-" + settings.apiPerMinute();
            case LOGIN -> settings.loginBurst() + "-" + settings.loginPerMinute();
        };
    }

    private static BucketConfiguration configuration(long burst, long perMinute) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build();
    }
}
