package dev.forgeline.jobs.internal;

import static dev.forgeline.schema.Tables.SCHEDULED_TASKS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;

import dev.forgeline.jobs.DeadJobResurrected;
import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.internal.DeadLetters.DeadJob;
import dev.forgeline.jobs.internal.JobsConfiguration.JobTasks;
import dev.forgeline.jobs.internal.JobsConfiguration.RecurringSettings;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The job queue as an admin sees it: recurring jobs, queue depths, and dead letters to resurrect. */
@RestController
@Access(Access.Rule.SITE_ADMIN)
@RequestMapping("/api/v1/admin")
@Tag(name = "Admin: jobs")
class JobsAdminController {

    private final DSLContext db;
    private final DeadLetters deadLetters;
    private final SchedulerClient client;
    private final RecurringSettings recurring;
    private final JobTasks jobTasks;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;

    JobsAdminController(DSLContext db, DeadLetters deadLetters, SchedulerClient client, RecurringSettings recurring,
                        JobTasks jobTasks, TransactionTemplate transaction, ApplicationEventPublisher events) {
        this.transaction = transaction;
        this.events = events;
        this.db = db;
        this.deadLetters = deadLetters;
        this.client = client;
        this.recurring = recurring;
        this.jobTasks = jobTasks;
    }

    record RecurringJobView(String name, String description, boolean enabled, String schedule, OffsetDateTime nextRun,
                            boolean running, OffsetDateTime lastSuccess, OffsetDateTime lastFailure, int consecutiveFailures) {
    }

    record QueueView(String job, JobPriority priority, int queued, int running, int dead) {
    }

    record JobsView(List<RecurringJobView> recurring, List<QueueView> queues) {
    }

    record DeadJobsPage(List<DeadJob> items, int total, int limit, int offset) {
    }

    record Resurrected(long deadJobId, String job, String jobId) {
    }

    @GetMapping("/jobs")
    @Operation(summary = "Recurring jobs with their switch and next run, and the depth of every job queue")
    JobsView jobs() {
        var rows = db.selectFrom(SCHEDULED_TASKS)
                .where(SCHEDULED_TASKS.TASK_INSTANCE.eq(RecurringTask.INSTANCE))
                .fetchMap(SCHEDULED_TASKS.TASK_NAME);
        List<RecurringJobView> recurringJobs = new ArrayList<>();
        for (RecurringSetting setting : recurring.all()) {
            var row = rows.get(setting.job().name());
            recurringJobs.add(new RecurringJobView(setting.job().name(), setting.job().description(), setting.enabled(),
                    setting.scheduleText(), row == null ? null : row.getExecutionTime(), row != null && row.getPicked(),
                    row == null ? null : row.getLastSuccess(), row == null ? null : row.getLastFailure(),
                    row == null || row.getConsecutiveFailures() == null ? 0 : row.getConsecutiveFailures()));
        }
        Map<String, Integer> dead = deadLetters.countByJob();
        var depth = db.select(SCHEDULED_TASKS.TASK_NAME, SCHEDULED_TASKS.PICKED, DSL.count())
                .from(SCHEDULED_TASKS)
                .where(SCHEDULED_TASKS.TASK_INSTANCE.ne(RecurringTask.INSTANCE))
                .groupBy(SCHEDULED_TASKS.TASK_NAME, SCHEDULED_TASKS.PICKED)
                .fetch();
        List<QueueView> queues = jobTasks.priorities().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new QueueView(e.getKey(), e.getValue(),
                        count(depth, e.getKey(), false), count(depth, e.getKey(), true), dead.getOrDefault(e.getKey(), 0)))
                .toList();
        return new JobsView(recurringJobs, queues);
    }

    private static int count(org.jooq.Result<org.jooq.Record3<String, Boolean, Integer>> depth, String job, boolean picked) {
        return depth.stream().filter(r -> r.value1().equals(job) && r.value2() == picked)
                .mapToInt(org.jooq.Record3::value3).sum();
    }

    record RunRequested(String name, OffsetDateTime nextRun) {
    }

    /**
     * Brings a recurring job's next run forward to now, as a cron page's "run now" does. Its schedule carries on
     * from that run. A run in progress is not interrupted: the answer is 409 and the caller asks again later.
     */
    @PostMapping("/jobs/{name}/run")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Run a recurring job now (409 while it is running)")
    RunRequested runNow(@PathVariable String name) {
        RecurringSetting setting = recurring.all().stream().filter(s -> s.job().name().equals(name)).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no recurring job " + name));
        if (!setting.enabled()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "recurring job " + name + " is disabled");
        }
        TaskInstance<Void> instance = setting.instance();
        Instant now = Instant.now();
        try {
            if (client.getScheduledExecution(instance).isEmpty()) {
                client.scheduleIfNotExists(instance, now);
            } else {
                client.reschedule(instance, now);
            }
        } catch (TaskInstanceCurrentlyExecutingException running) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "recurring job " + name + " is running now; ask again when it ends");
        }
        return new RunRequested(name, now.atOffset(ZoneOffset.UTC));
    }

    @GetMapping("/dead-jobs")
    @Operation(summary = "Jobs that failed every retry, newest first")
    DeadJobsPage deadJobs(@RequestParam(required = false) String job,
                          @RequestParam(defaultValue = "50") int limit,
                          @RequestParam(defaultValue = "0") int offset) {
        Paging.check(limit, offset);
        return new DeadJobsPage(deadLetters.list(job, limit, offset), deadLetters.count(job), limit, offset);
    }

    @PostMapping("/dead-jobs/{id}/resurrect")
    @Operation(summary = "Put a dead job back on the queue, to run now")
    Resurrected resurrect(@PathVariable long id) {
        return transaction.execute(status -> resurrectInTransaction(id));
    }

    private Resurrected resurrectInTransaction(long id) {
        DeadJob dead = deadLetters.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no dead job " + id));
        if (!deadLetters.remove(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "dead job " + id + " was just resurrected or deleted");
        }
        // Same key as before, so a job queued once under a key stays unique; one row, one transaction.
        client.scheduleIfNotExists(new TaskInstance<>(dead.job(), dead.key(), dead::payload, dead.priority().value()), Instant.now());
        events.publishEvent(new DeadJobResurrected(id, dead.job(), dead.key()));
        return new Resurrected(id, dead.job(), dead.key());
    }

    @PostMapping("/dead-jobs/resurrect-all")
    @Operation(summary = "Put every dead job back on the queue")
    Map<String, Integer> resurrectAll() {
        int count = 0;
        for (long id : deadLetters.ids()) {
            try {
                resurrect(id);
                count++;
            } catch (ResponseStatusException gone) {
                // Taken by a concurrent resurrect: nothing to do.
            }
        }
        return Map.of("resurrected", count);
    }
}
