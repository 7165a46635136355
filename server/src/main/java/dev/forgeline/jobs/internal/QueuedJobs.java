package dev.forgeline.jobs.internal;

import static dev.forgeline.schema.Tables.SCHEDULED_TASKS;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;

import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.Jobs;
import dev.forgeline.platform.TransactionScoped;

/** {@link Jobs} on db-scheduler's table. */
final class QueuedJobs implements Jobs {

    private final Supplier<SchedulerClient> client;
    private final Supplier<Scheduler> localWorker;
    private final Supplier<Map<String, JobPriority>> priorities;
    private final DSLContext db;

    /**
     * All three are looked up at the first enqueue, so that job handlers and recurring jobs may depend on Jobs.
     * @param localWorker the scheduler of this process when it has the worker role, else a supplier of null
     * @param priorities  job name → priority
     */
    QueuedJobs(Supplier<SchedulerClient> client, Supplier<Scheduler> localWorker, Supplier<Map<String, JobPriority>> priorities,
               DSLContext db) {
        this.client = client;
        this.db = db;
        this.localWorker = localWorker;
        this.priorities = priorities;
    }

    @Override
    public String enqueue(String jobName, String payload) {
        String id = UUID.randomUUID().toString();
        client.get().schedule(instance(jobName, id, payload), Instant.now());
        wakeWorker();
        return id;
    }

    @Override
    public void enqueueLater(String jobName, String payload, java.time.Duration delay) {
        client.get().schedule(instance(jobName, UUID.randomUUID().toString(), payload), Instant.now().plus(delay));
    }

    @Override
    public void enqueueNew(String jobName, String key, String payload) {
        client.get().schedule(instance(jobName, key, payload), Instant.now());
        wakeWorker();
    }

    @Override
    public void enqueueAllNew(String jobName, Map<String, String> payloadsByKey) {
        if (payloadsByKey.isEmpty()) {
            return;
        }
        List<TaskInstance<?>> batch = payloadsByKey.entrySet().stream()
                .<TaskInstance<?>>map(e -> instance(jobName, e.getKey(), e.getValue()))
                .toList();
        client.get().scheduleBatch(batch, Instant.now());
        wakeWorker();
    }

    @Override
    public boolean enqueueOnce(String jobName, String key, String payload) {
        boolean queued = client.get().scheduleIfNotExists(instance(jobName, key, payload), Instant.now());
        if (queued) {
            wakeWorker();
        }
        return queued;
    }

    @Override
    public void enqueueAll(String jobName, List<String> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        List<TaskInstance<?>> batch = payloads.stream()
                .<TaskInstance<?>>map(p -> instance(jobName, UUID.randomUUID().toString(), p))
                .toList();
        client.get().scheduleBatch(batch, Instant.now());
        wakeWorker();
    }

    @Override
    public void cancelQueued(String jobName, Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        // One delete by the whole primary key per run, sent as one batch. "task_instance in (…)" was planned as a scan
        // of every queued run of the job (111 ms a batch at 90,000 queued) while the table had no statistics yet, as
        // on a new database with autovacuum off; a lookup by the whole key uses the index whatever the statistics.
        // A picked row belongs to a worker that will complete it; deleting it under that worker would make it fail.
        var t = SCHEDULED_TASKS;
        var batch = db.batch(db.deleteFrom(t)
                .where(t.TASK_NAME.eq((String) null)).and(t.TASK_INSTANCE.eq((String) null)).and(t.PICKED.eq(DSL.inline(false))));
        for (String key : keys) {
            batch = batch.bind(jobName, key);
        }
        batch.execute();
    }

    private TaskInstance<String> instance(String jobName, String id, String payload) {
        JobPriority priority = priorities.get().get(jobName);
        if (priority == null) {
            throw new IllegalArgumentException("no job named '" + jobName + "'");
        }
        return new TaskInstance<>(jobName, id, () -> payload, priority.value());
    }

    /** Lets this process's worker pick the job at once instead of at its next poll, once it is committed. */
    private void wakeWorker() {
        Scheduler worker = localWorker.get();
        if (worker == null) {
            return;
        }
        TransactionScoped.afterCommit(worker::triggerCheckForDueExecutions);
    }
}
