package dev.forgeline.jobs.internal;

import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;

import dev.forgeline.jobs.internal.JobsConfiguration.RecurringSettings;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.ForgelineProperties.Role;

/**
 * In a process with the scheduler role: puts each enabled recurring job on the queue, takes disabled ones
 * off, and brings a job forward when its configured schedule became more frequent. Each run reschedules
 * itself, so this is needed only at start. Safe with several schedulers: every step is idempotent.
 */
@Component
class RecurringScheduler {

    private static final Logger log = LoggerFactory.getLogger(RecurringScheduler.class);

    private final SchedulerClient client;
    private final RecurringSettings recurring;
    private final ForgelineProperties settings;

    RecurringScheduler(SchedulerClient client, RecurringSettings recurring, ForgelineProperties settings) {
        this.client = client;
        this.recurring = recurring;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void keepRecurringJobsQueued() {
        if (settings.hasRole(Role.SCHEDULER)) {
            // Off the start-up path: nothing waits for it, and readiness comes sooner.
            Thread.ofVirtual().name("recurring-scheduler").start(() -> {
                try {
                    recurring.all().forEach(setting -> apply(setting, Instant.now()));
                } catch (RuntimeException e) {
                    log.error("could not put the recurring jobs on the queue; they start at the next restart: {}", e.getMessage());
                }
            });
        }
    }

    void apply(RecurringSetting setting, Instant now) {
        String name = setting.job().name();
        TaskInstance<Void> instance = setting.instance();
        Optional<ScheduledExecution<Object>> existing = client.getScheduledExecution(instance);
        if (!setting.enabled()) {
            if (existing.isPresent() && !existing.get().isPicked()) {
                client.cancel(instance);
                log.info("recurring job {} is disabled: taken off the queue", name);
            }
            return;
        }
        Instant first = setting.schedule().getInitialExecutionTime(now);
        if (existing.isEmpty()) {
            client.scheduleIfNotExists(instance, first);
        } else if (!existing.get().isPicked() && existing.get().getExecutionTime().isAfter(first)) {
            client.reschedule(instance, first);
        }
    }
}
