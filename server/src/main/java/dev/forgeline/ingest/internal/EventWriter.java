package dev.forgeline.ingest.internal;

import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.jooq.Field;
import org.jooq.InsertValuesStep10;
import org.jooq.Record2;
import org.jooq.Record3;
import org.jooq.Row2;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
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
 * alone, a delivery waits for nothing but its own commit. A repeated delivery costs no more than a new one: the
 * insert skips it (on conflict do nothing) and one query per batch finds the first copies' ids.
 */
@Component
class EventWriter implements SmartLifecycle {

    /** A delivery stored, or found already stored under the same delivery id. */
    record Stored(long eventId, boolean duplicate) {
    }

    record Pending(NewEvent event, CompletableFuture<Stored> result) {

        Pending(NewEvent event) {
            this(event, new CompletableFuture<>());
        }

        Delivery delivery() {
            return new Delivery(event.connectionId(), event.deliveryId());
        }
    }

    /** What makes a delivery unique (the table's unique key). */
    private record Delivery(long connectionId, String deliveryId) {
    }

    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    private static final int WRITERS = 4;
    private static final int MAX_BATCH = 256;
    private static final int QUEUE = 8192;
    /** Under a forge's 10 s delivery timeout, with room to answer 503 so that it retries. */
    private static final long WAIT_SECONDS = 8;

    private final DSLContext db;
    private final Jobs jobs;
    private final TransactionTemplate transaction;
    /**
     * One queue per writer, chosen by the delivery: copies of a delivery sent at the same moment (a forge's
     * redelivery storm) meet in one writer, so no two transactions insert the same key at once, where PostgreSQL
     * would make one wait for the other's commit and H2 would fail one of them.
     */
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    EventWriter(DSLContext db, Jobs jobs, TransactionTemplate transaction) {
        this.db = db;
        this.jobs = jobs;
        this.transaction = transaction;
        for (int i = 0; i < WRITERS; i++) {
            queues.add(new ArrayBlockingQueue<>(QUEUE / WRITERS));
        }
    }

    /** Stores the event durably (committed) and returns its id; throws when it could not be stored in time. */
    Stored store(NewEvent event) throws InterruptedException {
        Pending pending = new Pending(event);
        int hash = Long.hashCode(event.connectionId()) * 31 + event.deliveryId().hashCode();
        if (!running || !queues.get(Math.floorMod(hash, WRITERS)).offer(pending, 1, TimeUnit.SECONDS)) {
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

    private void drain(BlockingQueue<Pending> queue) {
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

    /**
     * Stores the batch in one transaction and completes each delivery's result. A row the database still refuses
     * despite the checks before the batch fails only its own delivery: the batch is then stored one by one.
     */
    void write(List<Pending> batch) {
        try {
            Map<Delivery, First> stored = transaction.execute(tx -> insertAll(batch));
            batch.forEach(p -> complete(p, stored));
        } catch (DataIntegrityViolationException oneRowRefused) {
            if (batch.size() == 1) {
                throw oneRowRefused;
            }
            log.warn("a webhook batch of {} failed on one row; storing its deliveries one by one", batch.size(), oneRowRefused);
            for (Pending p : batch) {
                try {
                    complete(p, transaction.execute(tx -> insertAll(List.of(p))));
                } catch (RuntimeException e) {
                    p.result().completeExceptionally(e);
                }
            }
        }
    }

    /** A copy after the first in the same batch is a duplicate of it. */
    private static void complete(Pending p, Map<Delivery, First> stored) {
        First first = stored.get(p.delivery());
        if (first == null) {
            // Skipped as stored, then not found: deleted in between (the retention of an old delivery). A retry stores it.
            p.result().completeExceptionally(new DataAccessResourceFailureException("the delivery's first copy was just deleted: retry"));
        } else {
            p.result().complete(new Stored(first.eventId(), first.storedBefore() || first.pending() != p));
        }
    }

    /** The row of a delivery: inserted for pending (the first copy in the batch), or found stored before. */
    private record First(Pending pending, long eventId, boolean storedBefore) {
    }

    private Map<Delivery, First> insertAll(List<Pending> batch) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Map<Delivery, Pending> firsts = new LinkedHashMap<>();
        for (Pending p : batch) {
            firsts.putIfAbsent(p.delivery(), p);
        }
        InsertValuesStep10<WebhookEventRecord, Long, String, String, String, String, String, OffsetDateTime, String, String, String> insert =
                db.insertInto(WEBHOOK_EVENT, WEBHOOK_EVENT.CONNECTION_ID, WEBHOOK_EVENT.PROVIDER, WEBHOOK_EVENT.EVENT_TYPE,
                        WEBHOOK_EVENT.ACTION, WEBHOOK_EVENT.REPOSITORY_KEY, WEBHOOK_EVENT.DELIVERY_ID, WEBHOOK_EVENT.RECEIVED_AT,
                        WEBHOOK_EVENT.STATUS, WEBHOOK_EVENT.HEADERS, WEBHOOK_EVENT.BODY);
        for (Pending p : firsts.values()) {
            NewEvent e = p.event();
            insert = insert.values(e.connectionId(), e.provider().id(), e.eventType(), e.action(), e.repositoryKey(),
                    e.deliveryId(), now, e.status().id(), e.headers(), e.body());
        }
        // A delivery stored before is skipped, not an error, so a repeated delivery does not abort the batch (H2 runs
        // this as a merge); the rows not returned are those. Matched by (connection, delivery id), which is unique:
        // no reliance on the order ids come back in.
        Map<Delivery, First> stored = new HashMap<>();
        insert.onConflict(WEBHOOK_EVENT.CONNECTION_ID, WEBHOOK_EVENT.DELIVERY_ID).doNothing()
                .returning(WEBHOOK_EVENT.ID, WEBHOOK_EVENT.CONNECTION_ID, WEBHOOK_EVENT.DELIVERY_ID).fetch()
                .forEach(r -> {
                    Delivery d = new Delivery(r.getConnectionId(), r.getDeliveryId());
                    stored.put(d, new First(firsts.get(d), r.getId(), false));
                });
        if (stored.size() < firsts.size()) {
            List<Row2<Long, String>> repeated = new ArrayList<>();
            firsts.keySet().stream().filter(d -> !stored.containsKey(d))
                    .forEach(d -> repeated.add(DSL.row(d.connectionId(), d.deliveryId())));
            for (Record3<Long, Long, String> r : firstIds(repeated)) {
                stored.put(new Delivery(r.value2(), r.value3()), new First(null, r.value1(), true));
            }
        }
        Map<String, String> jobsByKey = new LinkedHashMap<>();
        for (First first : stored.values()) {
            if (!first.storedBefore() && first.pending().event().status() == Status.RECEIVED) {
                jobsByKey.put(EventProcessor.key(first.eventId()), Long.toString(first.eventId()));
            }
        }
        jobs.enqueueAllNew(EventProcessor.JOB, jobsByKey);
        return stored;
    }

    /** The ids of deliveries stored before, in one query: a join with their list, so both databases use the unique index. */
    @SuppressWarnings("unchecked")
    private List<Record3<Long, Long, String>> firstIds(List<Row2<Long, String>> deliveries) {
        Table<Record2<Long, String>> wanted = DSL.values(deliveries.toArray(Row2[]::new)).as("wanted", "connection_id", "delivery_id");
        Field<Long> connection = wanted.field("connection_id", Long.class);
        Field<String> delivery = wanted.field("delivery_id", String.class);
        return db.select(WEBHOOK_EVENT.ID, WEBHOOK_EVENT.CONNECTION_ID, WEBHOOK_EVENT.DELIVERY_ID)
                .from(wanted).join(WEBHOOK_EVENT)
                .on(WEBHOOK_EVENT.CONNECTION_ID.eq(connection)).and(WEBHOOK_EVENT.DELIVERY_ID.eq(delivery))
                .fetch();
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < WRITERS; i++) {
            BlockingQueue<Pending> queue = queues.get(i);
            Thread writer = Thread.ofPlatform().name("webhook-writer-" + i).daemon().start(() -> drain(queue));
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
        int left = queues.stream().mapToInt(BlockingQueue::size).sum();
        if (left > 0) {
            log.warn("{} webhook deliveries were not stored at shutdown; their senders got no 202 and will retry", left);
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
