package dev.forgeline.ingest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.activity.Activity;
import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.ingest.internal.StoredEvents.Status;
import dev.forgeline.jobs.JobDeadLettered;
import dev.forgeline.jobs.JobHandler;
import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.Jobs;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.TransactionScoped;
import dev.forgeline.schema.tables.records.WebhookEventRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The high-priority job that turns stored deliveries into activity rows. Each delivery has a run of its own; the
 * run takes with it the other deliveries of the same repository still waiting (up to the batch size) and does
 * them all in one transaction, in arrival order, under the repository's guard; while batches come out full it
 * goes on with the next. The runs of the deliveries it took are taken off the queue in the same transaction, or,
 * if already picked, find the work done and return. A run whose repository another worker holds comes back a
 * moment later. A batch that fails is rolled back whole, and each of its deliveries then goes on its own, so one
 * bad delivery holds up no other.
 */
@Component
class EventProcessor implements JobHandler {

    static final String JOB = "ingest-process";
    private static final int RACE_RETRIES = 5;
    /** Marks the payload of a run that must not take others with it. */
    private static final String ALONE = "/alone";
    /** Marks the payload of a run that came back because its repository was busy, with how often so far. */
    private static final String BUSY = "/busy";
    /** A run goes through at most this many batches of its repository before leaving the rest to other runs. */
    private static final int BATCHES_PER_RUN = 100;
    /** When another worker holds the repository, the run first comes back this much later (doubling after). */
    private static final Duration BUSY_AGAIN = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(EventProcessor.class);

    private final StoredEvents events;
    private final Activity activity;
    private final Jobs jobs;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final DSLContext db;
    private final int batchSize;
    private final boolean postgres;
    /** Guard rows this process has made sure of: one insert per repository and process, not per run. */
    private final Set<String> guards = ConcurrentHashMap.newKeySet();

    private final Counter processedCount;
    private final Counter ignoredCount;
    private final Counter failedCount;

    EventProcessor(StoredEvents events, Activity activity, Jobs jobs, TransactionTemplate transaction, JsonMapper json,
                   DSLContext db, ForgelineProperties settings, MeterRegistry meters) {
        this.processedCount = outcomes(meters, Status.PROCESSED);
        this.ignoredCount = outcomes(meters, Status.IGNORED);
        this.failedCount = outcomes(meters, Status.FAILED);
        this.events = events;
        this.activity = activity;
        this.jobs = jobs;
        this.transaction = transaction;
        this.json = json;
        this.db = db;
        this.batchSize = settings.ingest().batchSize();
        this.postgres = db.dialect().family() == SQLDialect.POSTGRES;
    }

    /** Deliveries done, by outcome: a dashboard's processing rate, and how a bench sees a backlog drain without a scan. */
    private static Counter outcomes(MeterRegistry meters, Status outcome) {
        return Counter.builder("forgeline.ingest.events").tag("outcome", outcome.id())
                .description("Webhook deliveries processed into the model, ignored, or failed (each failed attempt)")
                .register(meters);
    }

    static String key(long eventId) {
        return "event-" + eventId;
    }

    @Override
    public String name() {
        return JOB;
    }

    @Override
    public JobPriority priority() {
        return JobPriority.HIGH;
    }

    @Override
    public void run(String payload) {
        // A delivery handed back from a failed batch goes alone: it may have been the bad one, or sit beside it.
        boolean alone = payload.endsWith(ALONE);
        int busy = payload.contains(BUSY) ? Integer.parseInt(payload.substring(payload.indexOf(BUSY) + BUSY.length())) : 0;
        long id = eventId(payload);
        WebhookEventRecord event = events.peek(id).orElse(null);
        if (event == null || isDone(event)) {
            return; // pruned, or done by a batch: most runs of a backlog end here, without a transaction
        }
        if (event.getRepositoryKey() != null && guards.add(event.getConnectionId() + "/" + event.getRepositoryKey())) {
            events.createGuard(event.getConnectionId(), event.getRepositoryKey());
        }
        List<Long> taken = new ArrayList<>();
        Batch batch;
        try {
            batch = raceRetried(() -> process(id, 0, null, alone ? 1 : batchSize, taken));
        } catch (RuntimeException batchFailed) {
            if (taken.isEmpty()) {
                failed(id, batchFailed);
            }
            // Rolled back whole: this run's delivery goes alone, and the others get runs of their own again, each
            // alone too (a run of theirs that was picked meanwhile found them locked and returned).
            log.debug("batch with webhook event {} failed, processing its {} deliveries one by one", id, taken.size() + 1, batchFailed);
            handBack(taken);
            try {
                raceRetried(() -> process(id, 0, null, 1, new ArrayList<>()));
            } catch (RuntimeException e) {
                failed(id, e);
            }
            return;
        }
        if (batch.outcome() == Outcome.BUSY) {
            // Another worker is going through this repository and most likely takes this delivery in one of its next
            // batches; in case it stops first, this run comes back, later each time, so that a long backlog's runs
            // do not keep the workers busy coming back.
            Duration later = BUSY_AGAIN.multipliedBy(1L << Math.min(busy, 5));
            jobs.enqueueLater(JOB, id + BUSY + (busy + 1), later);
            return;
        }
        // A full batch means more of the repository is waiting: keep going through it while this run has the lead.
        for (int more = 1; batch.outcome() == Outcome.FULL && more < BATCHES_PER_RUN; more++) {
            Batch done = batch;
            try {
                batch = raceRetried(() -> process(null, done.connectionId(), done.repositoryKey(), batchSize, taken));
            } catch (RuntimeException failed) {
                handBack(taken);
                return;
            }
        }
    }

    /** The event a run is for: its payload is the id, possibly followed by a mark such as {@link #ALONE}. */
    private static long eventId(String payload) {
        int mark = payload.indexOf('/');
        return Long.parseLong(mark < 0 ? payload : payload.substring(0, mark));
    }

    /** A failed batch's other deliveries: each gets a run of its own, which does it alone if it fails again. */
    private void handBack(List<Long> taken) {
        jobs.enqueueAll(JOB, taken.stream().map(id -> id + ALONE).toList());
    }

    /** Visible on the event at once; the job's retries (and then the dead letters) take it from here. */
    private void failed(long id, RuntimeException e) {
        events.mark(id, Status.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        failedCount.increment();
        throw e;
    }

    private <T> T raceRetried(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (DuplicateKeyException | PessimisticLockingFailureException raced) {
                // Another worker created the same repository or pull request a moment ago, or the database chose
                // this transaction as a deadlock's victim: it was rolled back whole, and the next try goes through.
                if (attempt == RACE_RETRIES) {
                    throw raced;
                }
            }
        }
    }

    private enum Outcome { NOTHING, BUSY, PARTIAL, FULL }

    private record Batch(Outcome outcome, long connectionId, String repositoryKey) {
    }

    /**
     * Processes, in one transaction, the event id (when given) and up to limit waiting events of its repository,
     * or of the repository named, under the repository's guard.
     * @param taken filled with the ids of the events other than id, so that a failed batch can hand them back
     */
    private Batch process(Long id, long connectionId, String repositoryKey, int limit, List<Long> taken) {
        return transaction.execute(tx -> {
            taken.clear();
            List<WebhookEventRecord> batch = new ArrayList<>();
            long connection = connectionId;
            String repository = repositoryKey;
            if (id != null) {
                WebhookEventRecord first = events.claim(id).orElse(null);
                if (first == null || isDone(first)) {
                    return new Batch(Outcome.NOTHING, 0, null); // pruned, done by a batch, or in one running now
                }
                batch.add(first);
                connection = first.getConnectionId();
                repository = first.getRepositoryKey();
            }
            int wanted = limit - batch.size();
            boolean full = false;
            if (repository != null && wanted > 0) {
                if (!events.tryGuard(connection, repository)) {
                    return new Batch(id == null ? Outcome.NOTHING : Outcome.BUSY, connection, repository);
                }
                List<WebhookEventRecord> waiting = events.claimWaiting(connection, repository, id == null ? -1 : id, wanted);
                waiting.forEach(e -> taken.add(e.getId()));
                batch.addAll(waiting);
                batch.sort(Comparator.comparing(WebhookEventRecord::getId));
                if (postgres) {
                    // Their runs need not start at all. Not on the embedded database: its workers pick runs one
                    // statement at a time and would trip over rows deleted under them.
                    jobs.cancelQueued(JOB, taken.stream().map(EventProcessor::key).toList());
                }
                full = waiting.size() == wanted;
            }
            if (batch.isEmpty()) {
                return new Batch(Outcome.NOTHING, connection, repository);
            }
            if (postgres) {
                // Safe to skip waiting for the disk here: the run's own completion commits durably right after,
                // and a crash before that leaves the deliveries received and their runs queued, to be done again.
                db.execute("set local synchronous_commit = off");
            }
            List<Long> processed = new ArrayList<>();
            List<Long> ignored = new ArrayList<>();
            int unreadable = 0;
            for (WebhookEventRecord event : batch) {
                try {
                    (record(event) ? processed : ignored).add(event.getId());
                } catch (Normaliser.UnreadablePayload e) {
                    // Thrown while normalising, before anything of this delivery is written: the batch goes on.
                    events.mark(event.getId(), Status.IGNORED, e.getMessage());
                    unreadable++;
                }
            }
            events.markAll(processed, Status.PROCESSED);
            events.markAll(ignored, Status.IGNORED);
            int allIgnored = ignored.size() + unreadable;
            TransactionScoped.afterCommit(() -> {
                processedCount.increment(processed.size());
                ignoredCount.increment(allIgnored);
            });
            return new Batch(full ? Outcome.FULL : Outcome.PARTIAL, connection, repository);
        });
    }

    /** An earlier batch did it: a run only finds work in an event received, failed (its retries) or dead (resurrected). */
    private static boolean isDone(WebhookEventRecord event) {
        return event.getStatus().equals(Status.PROCESSED.id()) || event.getStatus().equals(Status.IGNORED.id());
    }

    /** @return whether the event meant anything to the model (else it is ignored) */
    private boolean record(WebhookEventRecord event) {
        Provider provider = Provider.parse(event.getProvider()).orElseThrow();
        JsonNode root = json.readTree(event.getBody());
        List<ForgeEvent> normalised = Normaliser.normalise(provider, event.getEventType(), root);
        if (normalised.isEmpty()) {
            return false;
        }
        long repositoryId = 0;
        for (ForgeEvent e : normalised) {
            repositoryId = activity.record(event.getConnectionId(), e);
        }
        activity.record(repositoryId, provider.id(), Normaliser.participants(provider, root));
        return true;
    }

    @EventListener
    void on(JobDeadLettered dead) {
        if (dead.job().equals(JOB) && dead.payload() != null) {
            log.error("webhook event {} could not be processed: {}", dead.payload(), dead.error());
            events.mark(eventId(dead.payload()), Status.DEAD, dead.error());
        }
    }
}
