package dev.forgeline.jobs.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import dev.forgeline.jobs.JobHandler;
import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.Jobs;
import dev.forgeline.jobs.RecurringJob;
import dev.forgeline.platform.ForgelineProperties;
import dev.forgeline.platform.ForgelineProperties.Role;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The queue: db-scheduler on Forgeline's own database. Every process can enqueue; only processes with
 * the worker role run jobs, and only those with the scheduler role keep recurring jobs on the queue.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JobsConfiguration.class);
    /** db-scheduler declares a worker dead after this many missed heartbeats and runs its jobs again. */
    private static final int MISSED_HEARTBEATS_LIMIT = 6;

    @Bean
    JobMetrics jobMetrics(MeterRegistry registry, DSLContext db, DeadLetters deadLetters) {
        return new JobMetrics(registry, db, deadLetters);
    }

    @Bean
    RecurringSettings recurringSettings(ObjectProvider<RecurringJob> recurringJobs, Environment environment) {
        return new RecurringSettings(recurringJobs.orderedStream().map(job -> RecurringSetting.of(job, environment)).toList());
    }

    /** Every recurring job with its configuration, in a stable order. */
    record RecurringSettings(List<RecurringSetting> all) {
    }

    @Bean
    JobTasks jobTasks(ObjectProvider<JobHandler> handlers, RecurringSettings recurring, ForgelineProperties settings,
                      DeadLetters deadLetters, TransactionTemplate transaction, JobMetrics metrics, ApplicationEventPublisher events) {
        RetryThenDeadLetter onFailure = new RetryThenDeadLetter(settings.jobs().retryDelays(), deadLetters, transaction, metrics, events);
        List<Task<?>> tasks = new ArrayList<>();
        Map<String, JobPriority> priorities = new LinkedHashMap<>();
        for (JobHandler handler : handlers.orderedStream().toList()) {
            if (priorities.put(handler.name(), handler.priority()) != null) {
                throw new IllegalStateException("two jobs are named '" + handler.name() + "'");
            }
            tasks.add(Tasks.oneTime(handler.name(), String.class)
                    .defaultPriority(handler.priority().value())
                    .onFailure(onFailure)
                    .onDeadExecutionRevive()
                    .execute((instance, context) -> timed(metrics, handler.name(), () -> handler.run(instance.getData()))));
        }
        for (RecurringSetting setting : recurring.all()) {
            RecurringJob job = setting.job();
            tasks.add(Tasks.recurring(job.name(), setting.schedule())
                    .defaultPriority(job.priority().value())
                    .doNotScheduleOnStartup()
                    .execute((instance, context) -> {
                        if (setting.enabled()) {
                            try {
                                timed(metrics, job.name(), job::run);
                            } catch (RuntimeException e) {
                                // db-scheduler records the failure on the row; the log says why, once per run.
                                log.warn("recurring job {} failed, next run on its schedule: {}", job.name(), RetryThenDeadLetter.describe(e));
                                throw e;
                            }
                        }
                    }));
        }
        metrics.register(tasks.stream().map(Task::getName).toList());
        return new JobTasks(List.copyOf(tasks), Map.copyOf(priorities));
    }

    record JobTasks(List<Task<?>> tasks, Map<String, JobPriority> priorities) {
    }

    @FunctionalInterface
    interface JobBody {
        void run() throws Exception;
    }

    private static void timed(JobMetrics metrics, String job, JobBody body) {
        long start = System.nanoTime();
        try {
            body.run();
            metrics.succeeded(job, Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            metrics.finishedWithFailure(job, Duration.ofNanos(System.nanoTime() - start));
            throw e;
        } catch (Exception e) {
            metrics.finishedWithFailure(job, Duration.ofNanos(System.nanoTime() - start));
            throw new JobFailedException(e);
        }
    }

    /** db-scheduler joins the caller's transaction through this proxy: enqueue commits with the caller's rows. */
    private static DataSource transactional(DataSource dataSource) {
        return dataSource instanceof TransactionAwareDataSourceProxy ? dataSource : new TransactionAwareDataSourceProxy(dataSource);
    }

    @Bean(destroyMethod = "")
    WorkerScheduler workerScheduler(DataSource dataSource, ObjectProvider<JobTasks> jobTasks, ForgelineProperties settings) {
        if (!settings.hasRole(Role.WORKER)) {
            return new WorkerScheduler(null);
        }
        ForgelineProperties.Jobs jobs = settings.jobs();
        SchedulerBuilder builder = Scheduler.create(transactional(dataSource), jobTasks.getObject().tasks())
                .schedulerName(new SchedulerName.Fixed(processName()))
                .serializer(new TextSerializer())
                .threads(jobs.threads())
                .pollingInterval(jobs.pollInterval())
                .heartbeatInterval(jobs.heartbeatInterval())
                .missedHeartbeatsLimit(MISSED_HEARTBEATS_LIMIT)
                .enablePriority()
                .enableImmediateExecution()
                .commitWhenAutocommitDisabled(false)
                // Jobs of an unknown name are dead-lettered by the stuck-job sweep, not silently deleted.
                .deleteUnresolvedAfter(Duration.ofDays(3650))
                .shutdownMaxWait(Duration.ofSeconds(20))
                .failureLogging(LogLevel.DEBUG, false);
        if (settings.db().isPostgres(settings.home())) {
            // One UPDATE … FOR UPDATE SKIP LOCKED … RETURNING claims a whole batch: the fastest way on PostgreSQL.
            // Set explicitly: db-scheduler cannot detect PostgreSQL through the transaction-aware proxy.
            builder.jdbcCustomization(new PostgreSqlJdbcCustomization(false, true))
                    .pollUsingLockAndFetch(0.5, 3.0);
        }
        return new WorkerScheduler(builder.build());
    }

    @Bean
    SchedulerClient schedulerClient(WorkerScheduler worker, DataSource dataSource) {
        if (worker.scheduler() != null) {
            return worker.scheduler();
        }
        return SchedulerClient.Builder.create(transactional(dataSource)).serializer(new TextSerializer()).build();
    }

    @Bean
    Jobs jobs(ObjectProvider<SchedulerClient> client, ObjectProvider<WorkerScheduler> worker, ObjectProvider<JobTasks> jobTasks,
              DSLContext db) {
        return new QueuedJobs(SingletonSupplier.of(client::getObject), () -> worker.getObject().scheduler(),
                SingletonSupplier.of(() -> jobTasks.getObject().priorities()), db);
    }

    private static String processName() {
        // host and pid: an admin can tell which process holds a job.
        return ManagementFactory.getRuntimeMXBean().getName();
    }
}
