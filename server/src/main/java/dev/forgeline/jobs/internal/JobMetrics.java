package dev.forgeline.jobs.internal;

import static dev.forgeline.schema.Tables.SCHEDULED_TASKS;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Job metrics for Prometheus: duration and failures as they happen, and queued/running/dead counts read
 * from the database (shared by every process), at most once per few seconds whatever the scrape rate.
 */
final class JobMetrics {

    private static final Logger log = LoggerFactory.getLogger(JobMetrics.class);
    private static final long SNAPSHOT_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final MeterRegistry registry;
    private final DSLContext db;
    private final DeadLetters deadLetters;
    private final Map<String, Timer> successes = new ConcurrentHashMap<>();
    private final Map<String, Timer> failures = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();

    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of(), 0);

    private record Snapshot(Map<String, Integer> queued, Map<String, Integer> running, Map<String, Integer> dead, long takenAt) {
    }

    JobMetrics(MeterRegistry registry, DSLContext db, DeadLetters deadLetters) {
        this.registry = registry;
        this.db = db;
        this.deadLetters = deadLetters;
    }

    void register(Collection<String> jobNames) {
        for (String job : jobNames) {
            Gauge.builder("forgeline.jobs.queued", () -> current().queued().getOrDefault(job, 0))
                    .description("Jobs waiting on the queue").tag("job", job).register(registry);
            Gauge.builder("forgeline.jobs.running", () -> current().running().getOrDefault(job, 0))
                    .description("Jobs being run by a worker").tag("job", job).register(registry);
            Gauge.builder("forgeline.jobs.dead", () -> current().dead().getOrDefault(job, 0))
                    .description("Jobs in the dead-letter table").tag("job", job).register(registry);
        }
    }

    void succeeded(String job, Duration duration) {
        successes.computeIfAbsent(job, j -> timer(j, "success")).record(duration);
    }

    void finishedWithFailure(String job, Duration duration) {
        failures.computeIfAbsent(job, j -> timer(j, "failure")).record(duration);
    }

    void failed(String job) {
        failed.computeIfAbsent(job, j -> Counter.builder("forgeline.jobs.failed")
                .description("Job runs that threw, retried or not").tag("job", j).register(registry)).increment();
    }

    private Timer timer(String job, String outcome) {
        return Timer.builder("forgeline.jobs.duration").description("Time a job run took")
                .tag("job", job).tag("outcome", outcome).register(registry);
    }

    private Snapshot current() {
        Snapshot last = snapshot;
        if (System.nanoTime() - last.takenAt() < SNAPSHOT_TTL_NANOS) {
            return last;
        }
        synchronized (this) {
            if (snapshot != last) {
                return snapshot;
            }
            try {
                Map<String, Integer> queued = new ConcurrentHashMap<>();
                Map<String, Integer> running = new ConcurrentHashMap<>();
                db.select(SCHEDULED_TASKS.TASK_NAME, SCHEDULED_TASKS.PICKED, DSL.count())
                        .from(SCHEDULED_TASKS)
                        .groupBy(SCHEDULED_TASKS.TASK_NAME, SCHEDULED_TASKS.PICKED)
                        .forEach(r -> (r.value2() ? running : queued).put(r.value1(), r.value3()));
                snapshot = new Snapshot(queued, running, deadLetters.countByJob(), System.nanoTime());
            } catch (RuntimeException e) {
                // Keep the last figures while the database is away; readiness reports the outage.
                log.debug("job metrics not refreshed: {}", e.getMessage());
                snapshot = new Snapshot(last.queued(), last.running(), last.dead(), System.nanoTime());
            }
            return snapshot;
        }
    }
}
