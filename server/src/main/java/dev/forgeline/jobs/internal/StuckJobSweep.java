package dev.forgeline.jobs.internal;

import static dev.forgeline.schema.Tables.SCHEDULED_TASKS;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.kagkarlsson.scheduler.task.Task;

import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.jobs.internal.JobsConfiguration.JobTasks;
import dev.forgeline.platform.ForgelineProperties;

/**
 * Frees jobs held by a worker that stopped heart-beating (its process was killed, or its host lost), so
 * another worker runs them, and dead-letters queued jobs that no handler in this version knows.
 */
@Component
class StuckJobSweep implements RecurringJob {

    private static final Logger log = LoggerFactory.getLogger(StuckJobSweep.class);
    /** Leaves a newer version's jobs alone during a rolling upgrade for this long. */
    static final Duration UNKNOWN_JOB_GRACE = Duration.ofHours(1);

    private final DSLContext db;
    private final DeadLetters deadLetters;
    private final TransactionTemplate transaction;
    private final ObjectProvider<JobTasks> jobTasks;
    private final Duration stuckAfter;

    StuckJobSweep(DSLContext db, DeadLetters deadLetters, TransactionTemplate transaction,
                  ObjectProvider<JobTasks> jobTasks, ForgelineProperties settings) {
        this.db = db;
        this.deadLetters = deadLetters;
        this.transaction = transaction;
        this.jobTasks = jobTasks;
        this.stuckAfter = settings.jobs().stuckAfter();
    }

    @Override
    public String name() {
        return "stuck-job-sweep";
    }

    @Override
    public String description() {
        return "Frees jobs held by workers that stopped; dead-letters jobs no handler knows";
    }

    @Override
    public String defaultSchedule() {
        return "1m";
    }

    @Override
    public JobPriority priority() {
        return JobPriority.HIGH;
    }

    @Override
    public void run() {
        Instant now = Instant.now();
        int released = releaseStuck(now);
        int unknown = deadLetterUnknown(now);
        if (released > 0 || unknown > 0) {
            log.warn("stuck-job sweep: {} job(s) freed from stopped workers, {} unknown job(s) dead-lettered", released, unknown);
        }
    }

    int releaseStuck(Instant now) {
        OffsetDateTime cutoff = now.minus(stuckAfter).atOffset(ZoneOffset.UTC);
        return db.update(SCHEDULED_TASKS)
                .set(SCHEDULED_TASKS.PICKED, false)
                .setNull(SCHEDULED_TASKS.PICKED_BY)
                .setNull(SCHEDULED_TASKS.LAST_HEARTBEAT)
                .set(SCHEDULED_TASKS.EXECUTION_TIME, now.atOffset(ZoneOffset.UTC))
                .set(SCHEDULED_TASKS.VERSION, SCHEDULED_TASKS.VERSION.plus(1))
                .where(SCHEDULED_TASKS.PICKED.isTrue())
                .and(SCHEDULED_TASKS.LAST_HEARTBEAT.lt(cutoff))
                .execute();
    }

    int deadLetterUnknown(Instant now) {
        Set<String> known = jobTasks.getObject().tasks().stream().map(Task::getName).collect(java.util.stream.Collectors.toSet());
        OffsetDateTime cutoff = now.minus(UNKNOWN_JOB_GRACE).atOffset(ZoneOffset.UTC);
        var orphans = db.selectFrom(SCHEDULED_TASKS)
                .where(SCHEDULED_TASKS.TASK_NAME.notIn(known))
                .and(SCHEDULED_TASKS.PICKED.isFalse())
                .and(SCHEDULED_TASKS.EXECUTION_TIME.lt(cutoff))
                .limit(1000)
                .fetch();
        for (var orphan : orphans) {
            transaction.executeWithoutResult(status -> {
                int deleted = db.deleteFrom(SCHEDULED_TASKS)
                        .where(SCHEDULED_TASKS.TASK_NAME.eq(orphan.getTaskName()))
                        .and(SCHEDULED_TASKS.TASK_INSTANCE.eq(orphan.getTaskInstance()))
                        .and(SCHEDULED_TASKS.VERSION.eq(orphan.getVersion()))
                        .execute();
                if (deleted == 1) {
                    byte[] data = orphan.getTaskData();
                    deadLetters.add(orphan.getTaskName(), orphan.getTaskInstance(),
                            data == null ? null : new String(data, java.nio.charset.StandardCharsets.UTF_8),
                            orphan.getPriority() == null ? JobPriority.DEFAULT.value() : orphan.getPriority(),
                            orphan.getConsecutiveFailures() == null ? 0 : orphan.getConsecutiveFailures(),
                            "no job named '" + orphan.getTaskName() + "' in this version of Forgeline", now);
                }
            });
        }
        return orphans.size();
    }
}
