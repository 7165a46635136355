package dev.forgeline.jobs.internal;

import static dev.forgeline.schema.Tables.AUDIT_EVENT;
import static dev.forgeline.schema.Tables.DEAD_JOB;
import static dev.forgeline.schema.Tables.SCHEDULED_TASKS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;

import dev.forgeline.jobs.Jobs;
import dev.forgeline.jobs.internal.JobsConfiguration.JobTasks;
import dev.forgeline.test.Eventually;
import dev.forgeline.test.ForgelineTest;
import dev.forgeline.test.TestDatabase;
import dev.forgeline.test.TestHttp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ForgelineTest
@Import(RecordingJobs.class)
@TestPropertySource(properties = {
        TestDatabase.OWN_DATABASE + "=jobs",
        "forgeline.admin-token=" + JobQueueTest.ADMIN_TOKEN,
        "forgeline.jobs.retry-delays=200ms,400ms,600ms",
        "forgeline.jobs.poll-interval=100ms",
        "forgeline.jobs.threads=1",
        "forgeline.jobs.dead-letter-cleanup.enabled=false"})
class JobQueueTest {

    static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Autowired Jobs jobs;
    @Autowired DSLContext db;
    @Autowired TransactionTemplate transaction;
    @Autowired StuckJobSweep sweep;
    @Autowired DataSource dataSource;
    @Autowired JobTasks jobTasks;
    @Autowired JsonMapper json;
    @LocalServerPort int port;

    TestHttp admin;

    @BeforeEach
    void setUp() {
        admin = new TestHttp(port, ADMIN_TOKEN);
        RecordingJobs.BROKEN.set(false);
    }

    @Test
    void enqueuedJobRunsWithItsPayload() {
        String payload = "payload-" + UUID.randomUUID();
        jobs.enqueue("test-echo", payload);
        Eventually.await("the echo job", DEADLINE, () -> RecordingJobs.runsOf("test-echo").stream().anyMatch(r -> r.payload().equals(payload)));
    }

    @Test
    void highPriorityJobsRunBeforeLowOnesQueuedEarlier() {
        String batch = UUID.randomUUID().toString();
        // One transaction: the worker sees all twenty at once, the low ones queued first. Each is due when it was
        // queued, so the low ones would be due microseconds before the high ones, and a poll whose "now" fell
        // between them would rightly see only the low ones: all twenty are made due at one instant.
        transaction.executeWithoutResult(status -> {
            IntStream.range(0, 10).forEach(i -> jobs.enqueue("test-low", batch + "-low-" + i));
            IntStream.range(0, 10).forEach(i -> jobs.enqueue("test-high", batch + "-high-" + i));
            db.update(SCHEDULED_TASKS).set(SCHEDULED_TASKS.EXECUTION_TIME, OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1))
                    .where(SCHEDULED_TASKS.TASK_NAME.in("test-low", "test-high")).and(SCHEDULED_TASKS.PICKED.isFalse())
                    .execute();
        });
        Eventually.await("all twenty jobs", DEADLINE, () -> runsOfBatch(batch).size() == 20);
        List<String> order = runsOfBatch(batch).stream().map(RecordingJobs.Run::job).toList();
        assertThat(order.subList(0, 10)).containsOnly("test-high");
        assertThat(order.subList(10, 20)).containsOnly("test-low");
    }

    private static List<RecordingJobs.Run> runsOfBatch(String batch) {
        return RecordingJobs.RUNS.stream().filter(r -> r.payload() != null && r.payload().startsWith(batch)).toList();
    }

    @Test
    void failingJobIsRetriedOnScheduleThenDeadLetteredWithItsError() {
        RecordingJobs.BROKEN.set(true);
        String payload = "doomed-" + UUID.randomUUID();
        String key = jobs.enqueue("test-fails", payload);

        Eventually.await("the dead letter", DEADLINE, () -> db.fetchExists(DEAD_JOB, DEAD_JOB.JOB_KEY.eq(key)));

        List<RecordingJobs.Run> attempts = RecordingJobs.runsOf("test-fails").stream().filter(r -> r.payload().equals(payload)).toList();
        assertThat(attempts).hasSize(4);
        long[] gapsMillis = IntStream.range(1, 4).mapToLong(i -> (attempts.get(i).atNanos() - attempts.get(i - 1).atNanos()) / 1_000_000).toArray();
        assertThat(gapsMillis[0]).isGreaterThanOrEqualTo(200);
        assertThat(gapsMillis[1]).isGreaterThanOrEqualTo(400);
        assertThat(gapsMillis[2]).isGreaterThanOrEqualTo(600);

        var dead = db.selectFrom(DEAD_JOB).where(DEAD_JOB.JOB_KEY.eq(key)).fetchSingle();
        assertThat(dead.getJobName()).isEqualTo("test-fails");
        assertThat(dead.getPayload()).isEqualTo(payload);
        assertThat(dead.getAttempts()).isEqualTo(4);
        assertThat(dead.getLastError()).isEqualTo("IOException: upstream answered 502 for " + payload);
        assertThat(db.fetchExists(SCHEDULED_TASKS, SCHEDULED_TASKS.TASK_INSTANCE.eq(key))).as("no longer queued").isFalse();
    }

    @Test
    void resurrectedDeadJobRunsAgainAndLeavesTheDeadLetters() throws Exception {
        RecordingJobs.BROKEN.set(true);
        String payload = "phoenix-" + UUID.randomUUID();
        String key = jobs.enqueue("test-fails", payload);
        Eventually.await("the dead letter", DEADLINE, () -> db.fetchExists(DEAD_JOB, DEAD_JOB.JOB_KEY.eq(key)));
        long deadId = db.select(DEAD_JOB.ID).from(DEAD_JOB).where(DEAD_JOB.JOB_KEY.eq(key)).fetchSingle(DEAD_JOB.ID);

        JsonNode listed = json.readTree(admin.get("/api/v1/admin/dead-jobs?job=test-fails").body());
        assertThat(listed.get("items").findValuesAsString("key")).contains(key);

        RecordingJobs.BROKEN.set(false);
        var answer = admin.post("/api/v1/admin/dead-jobs/" + deadId + "/resurrect", null);
        assertThat(answer.statusCode()).isEqualTo(200);

        Eventually.await("the resurrected run", DEADLINE,
                () -> RecordingJobs.runsOf("test-fails").stream().filter(r -> r.payload().equals(payload)).count() == 5);
        Eventually.await("the job to leave the queue", DEADLINE,
                () -> !db.fetchExists(SCHEDULED_TASKS, SCHEDULED_TASKS.TASK_INSTANCE.eq(key)));
        assertThat(db.fetchExists(DEAD_JOB, DEAD_JOB.ID.eq(deadId))).isFalse();
        assertThat(db.fetchExists(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("dead-job.resurrected")
                .and(AUDIT_EVENT.TARGET_ID.eq(Long.toString(deadId))).and(AUDIT_EVENT.ACTOR.eq("admin")))).isTrue();
        assertThat(admin.post("/api/v1/admin/dead-jobs/" + deadId + "/resurrect", null).statusCode()).isEqualTo(404);
    }

    @Test
    void jobHeldByAWorkerThatDiedRunsAgain() {
        // A worker claimed the job, then its process was killed: the row stays picked, its heartbeat stops.
        String key = "orphan-" + UUID.randomUUID();
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(30));
        db.insertInto(SCHEDULED_TASKS)
                .set(SCHEDULED_TASKS.TASK_NAME, "test-echo")
                .set(SCHEDULED_TASKS.TASK_INSTANCE, key)
                .set(SCHEDULED_TASKS.TASK_DATA, key.getBytes(StandardCharsets.UTF_8))
                .set(SCHEDULED_TASKS.EXECUTION_TIME, longAgo.atOffset(ZoneOffset.UTC))
                .set(SCHEDULED_TASKS.PICKED, true)
                .set(SCHEDULED_TASKS.PICKED_BY, "killed-worker")
                .set(SCHEDULED_TASKS.LAST_HEARTBEAT, longAgo.atOffset(ZoneOffset.UTC))
                .set(SCHEDULED_TASKS.VERSION, 1L)
                .set(SCHEDULED_TASKS.PRIORITY, (short) 50)
                .execute();

        sweep.run();

        Eventually.await("the orphaned job to run", DEADLINE, () -> RecordingJobs.runsOf("test-echo").stream().anyMatch(r -> r.payload().equals(key)));
        Eventually.await("the orphaned job to complete", DEADLINE, () -> !db.fetchExists(SCHEDULED_TASKS, SCHEDULED_TASKS.TASK_INSTANCE.eq(key)));
        assertThat(RecordingJobs.runsOf("test-echo").stream().filter(r -> r.payload().equals(key))).hasSize(1);
    }

    @Test
    void jobOfAnUnknownKindIsDeadLetteredNotLost() {
        String key = "stranger-" + UUID.randomUUID();
        Instant old = Instant.now().minus(StuckJobSweep.UNKNOWN_JOB_GRACE).minusSeconds(60);
        db.insertInto(SCHEDULED_TASKS)
                .set(SCHEDULED_TASKS.TASK_NAME, "job-from-a-newer-version")
                .set(SCHEDULED_TASKS.TASK_INSTANCE, key)
                .set(SCHEDULED_TASKS.TASK_DATA, "42".getBytes(StandardCharsets.UTF_8))
                .set(SCHEDULED_TASKS.EXECUTION_TIME, old.atOffset(ZoneOffset.UTC))
                .set(SCHEDULED_TASKS.PICKED, false)
                .set(SCHEDULED_TASKS.VERSION, 1L)
                .set(SCHEDULED_TASKS.PRIORITY, (short) 50)
                .execute();

        sweep.run();

        var dead = db.selectFrom(DEAD_JOB).where(DEAD_JOB.JOB_KEY.eq(key)).fetchSingle();
        assertThat(dead.getJobName()).isEqualTo("job-from-a-newer-version");
        assertThat(dead.getPayload()).isEqualTo("42");
        assertThat(dead.getLastError()).contains("no job named 'job-from-a-newer-version'");
    }

    @Test
    void twoWorkersOnOneDatabaseRunEveryJobExactlyOnce() {
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService secondPool = Executors.newFixedThreadPool(4, r -> new Thread(r, "second-worker-" + threadNumber.incrementAndGet()));
        Scheduler second = Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), jobTasks.tasks())
                .schedulerName(new SchedulerName.Fixed("second-worker"))
                .serializer(new TextSerializer())
                .executorService(secondPool)
                .threads(4)
                .pollingInterval(Duration.ofMillis(50))
                .enablePriority()
                .build();
        second.start();
        try {
            String batch = "both-" + UUID.randomUUID();
            List<String> payloads = IntStream.range(0, 1000).mapToObj(i -> batch + "-" + i).toList();
            for (int i = 0; i < payloads.size(); i += 100) {
                jobs.enqueueAll("test-echo", payloads.subList(i, i + 100));
            }
            Eventually.await("1000 jobs", Duration.ofSeconds(60), () -> runsOfBatch(batch).size() >= 1000);
            Eventually.await("the queue to drain", DEADLINE,
                    () -> !db.fetchExists(SCHEDULED_TASKS, SCHEDULED_TASKS.TASK_INSTANCE.like(batch + "%")));

            Map<String, Long> runsPerPayload = runsOfBatch(batch).stream()
                    .collect(Collectors.groupingBy(RecordingJobs.Run::payload, Collectors.counting()));
            assertThat(runsPerPayload).hasSize(1000);
            assertThat(runsPerPayload.values()).containsOnly(1L);
            Map<Boolean, Long> bySecond = runsOfBatch(batch).stream()
                    .collect(Collectors.partitioningBy(r -> r.thread().startsWith("second-worker"), Collectors.counting()));
            assertThat(bySecond.get(true)).as("jobs run by the second worker").isPositive();
            assertThat(bySecond.get(false)).as("jobs run by the server's own worker").isPositive();
        } finally {
            second.stop();
            secondPool.shutdownNow();
        }
    }

    @Test
    void adminSeesRecurringJobsWithTheirSwitchAndNextRun() throws Exception {
        // Recurring jobs are put on the queue just after start, off the start-up path.
        Eventually.await("the sweep on the queue", DEADLINE,
                () -> db.fetchExists(SCHEDULED_TASKS, SCHEDULED_TASKS.TASK_NAME.eq("stuck-job-sweep")));
        var answer = admin.get("/api/v1/admin/jobs");
        assertThat(answer.statusCode()).isEqualTo(200);
        Map<String, JsonNode> recurring = json.readTree(answer.body()).get("recurring").valueStream()
                .collect(Collectors.toMap(n -> n.get("name").asString(), Function.identity()));

        JsonNode sweepJob = recurring.get("stuck-job-sweep");
        assertThat(sweepJob.get("enabled").asBoolean()).isTrue();
        assertThat(sweepJob.get("schedule").asString()).isEqualTo("1m");
        assertThat(sweepJob.get("nextRun").isNull()).isFalse();

        JsonNode cleanup = recurring.get("dead-letter-cleanup");
        assertThat(cleanup.get("enabled").asBoolean()).isFalse();
        assertThat(cleanup.get("nextRun").isNull()).as("a disabled job is not queued").isTrue();

        List<String> queues = json.readTree(answer.body()).get("queues").findValuesAsString("job");
        assertThat(queues).contains("test-echo", "test-high", "test-low", "test-fails");
    }

    @Test
    void adminRunsARecurringJobNowAndItsScheduleCarriesOn() {
        Eventually.await("the daily job on the queue", DEADLINE,
                () -> db.fetchExists(SCHEDULED_TASKS, SCHEDULED_TASKS.TASK_NAME.eq("test-daily")));
        int before = RecordingJobs.runsOf("test-daily").size();

        var answer = admin.post("/api/v1/admin/jobs/test-daily/run", null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        Eventually.await("the daily job run on request", DEADLINE, () -> RecordingJobs.runsOf("test-daily").size() > before);
        Eventually.await("the next run a day later", DEADLINE, () -> {
            var next = db.select(SCHEDULED_TASKS.EXECUTION_TIME, SCHEDULED_TASKS.PICKED).from(SCHEDULED_TASKS)
                    .where(SCHEDULED_TASKS.TASK_NAME.eq("test-daily")).fetchSingle();
            return !next.value2() && next.value1().toInstant().isAfter(Instant.now().plus(Duration.ofHours(23)));
        });

        assertThat(admin.post("/api/v1/admin/jobs/no-such-job/run", null).statusCode()).isEqualTo(404);
        var disabled = admin.post("/api/v1/admin/jobs/dead-letter-cleanup/run", null);
        assertThat(disabled.statusCode()).isEqualTo(409);
        assertThat(disabled.body()).contains("disabled");
    }

    @Test
    void adminApiRefusesMissingAndWrongTokens() {
        var anonymous = new TestHttp(port, null).get("/api/v1/admin/jobs");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new TestHttp(port, "not-a-token").get("/api/v1/admin/dead-jobs").statusCode()).isEqualTo(401);
        assertThat(admin.post("/api/v1/admin/dead-jobs/999999999/resurrect", null).statusCode()).isEqualTo(404);
        assertThat(admin.get("/api/v1/admin/dead-jobs?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void prometheusExposesJobMetrics() {
        String payload = "metered-" + UUID.randomUUID();
        jobs.enqueue("test-echo", payload);
        Eventually.await("the echo job", DEADLINE, () -> RecordingJobs.runsOf("test-echo").stream().anyMatch(r -> r.payload().equals(payload)));

        String metrics = new TestHttp(port, null).get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("forgeline_jobs_duration_seconds_count\\{[^}]*job=\"test-echo\"[^}]*outcome=\"success\"[^}]*} [1-9]");
        assertThat(metrics).contains("forgeline_jobs_queued{", "forgeline_jobs_running{", "forgeline_jobs_dead{");
    }
}
