package dev.forgeline.ingest.internal;

import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jooq.DSLContext;
import org.jooq.InsertValuesStep10;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.ingest.internal.StoredEvents.NewEvent;
import dev.forgeline.ingest.internal.StoredEvents.Status;
import dev.forgeline.jobs.Jobs;
import dev.forgeline.schema.tables.records.WebhookEventRecord;

/**
 * Group commit for webhook deliveries. Each request hands its event over and waits; a writer stores everything
 * that queued up meanwhile in one multi-row insert, queues their jobs in one batch, commits once, and only
 * then lets each request answer 202. Under load that is one commit per batch instead of one per delivery;
 * alone, a delivery waits for nothing but its own commit.
 */
@Component
class EventWriter implements SmartLifecycle {

    /** A delivery stored, or found already stored under the same delivery id. */
    record Stored(long eventId, boolean duplicate) {
    }

    private record Pending(NewEvent event, CompletableFuture<Stored> result) {
    }

    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    private static final int WRITERS = 4;
    private static final int MAX_BATCH = 256;
    private static final int QUEUE = 8192;
    /** Under a forge's 10 s delivery timeout, with room to answer 503 so that it retries. */
    private static final long WAIT_SECONDS = 8;

    private final DSLContext db;
    private final StoredEvents events;
    private final Jobs jobs;
    private final TransactionTemplate transaction;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE);
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    EventWriter(DSLContext db, StoredEvents events, Jobs jobs, TransactionTemplate transaction) {
        this.db = db;
        this.events = events;
        this.jobs = jobs;
        this.transaction = transaction;
    }

    /** Stores the event durably (committed) and returns its id; throws when it could not be stored in time. */
    Stored store(NewEvent event) throws InterruptedException {
        Pending pending = new Pending(event, new CompletableFuture<>());
        if (!running || !queue.offer(pending, 1, TimeUnit.SECONDS)) {
            throw new DataAccessResourceFailureException("too many deliveries waiting to be stored");
        }
        try {
            return pending.result().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            // It may still commit: the forge's retry then finds it by its delivery id and nothing is stored twice.
            throw new DataAccessResourceFailureException("the database did not store the delivery in time");
        }
    }

    private void drain() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            Map<Pending, Long> ids = transaction.execute(tx -> insertAll(batch));
            batch.forEach(p -> p.result().complete(new Stored(ids.get(p), false)));
        } catch (DuplicateKeyException someoneRepeated) {
            // A repeated delivery is in the batch: store each one on its own to tell which.
            for (Pending p : batch) {
                try {
                    Map<Pending, Long> ids = transaction.execute(tx -> insertAll(List.of(p)));
                    p.result().complete(new Stored(ids.get(p), false));
                } catch (DuplicateKeyException repeated) {
                    long first = events.idOfDelivery(p.event().connectionId(), p.event().deliveryId()).orElseThrow();
                    p.result().complete(new Stored(first, true));
                } catch (RuntimeException e) {
                    p.result().completeExceptionally(e);
                }
            }
        }
    }

    private Map<Pending, Long> insertAll(List<Pending> batch) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        InsertValuesStep10<WebhookEventRecord, Long, String, String, String, String, String, OffsetDateTime, String, String, String> insert =
                db.insertInto(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID, WEBHOOK_EVENT.PROVIDER, WEBHOOK_EVENT.EVENT_TYPE,
                        WEBHOOK_EVENT.ACTION, WEBHOOK_EVENT.REPOSITORY_KEY, WEBHOOK_EVENT.DELIVERY_ID, WEBHOOK_EVENT.RECEIVED_AT,
                        WEBHOOK_EVENT.STATUS, WEBHOOK_EVENT.HEADERS, WEBHOOK_EVENT.BODY);
        for (Pending p : batch) {
            NewEvent e = p.event();
            insert = insert.values(e.connectionId(), e.provider().id(), e.eventType(), e.action(), e.repositoryKey(),
                    e.deliveryId(), now, e.status().id(), e.headers(), e.body());
        }
        // Matched by (connection, delivery id), which is unique: no reliance on the order ids come back in.
        Map<String, Long> idByDelivery = new java.util.HashMap<>();
        insert.returning(WEBHOOK_EVENT.ID, WEBHOOK_EVENT.CONNECTION_ID, WEBHOOK_EVENT.DELIVERY_ID).fetch()
                .forEach(r -> idByDelivery.put(r.getConnectionId() + "/" + r.getDeliveryId(), r.getId()));
        Map<Pending, Long> ids = new LinkedHashMap<>();
        Map<String, String> jobsByKey = new LinkedHashMap<>();
        for (Pending p : batch) {
            long id = idByDelivery.get(p.event().connectionId() + "/" + p.event().deliveryId());
            ids.put(p, id);
            if (p.event().status() == Status.RECEIVED) {
                jobsByKey.put(EventProcessor.key(id), Long.toString(id));
            }
        }
        jobs.enqueueAllNew(EventProcessor.JOB, jobsByKey);
        return ids;
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < WRITERS; i++) {
            Thread writer = Thread.ofPlatform().name("webhook-writer-" + i).daemon().start(this::drain);
            writers.add(writer);
        }
    }

    @Override
    public void stop() {
        // Graceful: requests already handed over are still stored before the process ends.
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writers.clear();
        if (!queue.isEmpty()) {
            log.warn("{} webhook deliveries were not stored at shutdown; their senders got no 202 and will retry", queue.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Stops after the web server (which stops taking requests first), before the database pool closes.
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
