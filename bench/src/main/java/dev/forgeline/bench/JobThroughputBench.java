package dev.forgeline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.forgeline.jobs.JobHandler;
import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.Jobs;

/**
 * Job throughput: no-op jobs from enqueue to completed, through the real queue on the configured database.
 * <pre>
 * FORGELINE_DB_URL=jdbc:postgresql://localhost:5432/bench bench/run jobs [JOBS]
 * bench/run jobs [JOBS]            # embedded H2 in a temporary folder
 * </pre>
 */
public final class JobThroughputBench {

    static final AtomicReference<CountDownLatch> REMAINING = new AtomicReference<>(new CountDownLatch(0));

    @Configuration(proxyBeanMethods = false)
    static class NoOpJob {
        @Bean
        JobHandler benchNoOp() {
            return new JobHandler() {
                @Override
                public String name() {
                    return "bench-no-op";
                }

                @Override
                public JobPriority priority() {
                    return JobPriority.DEFAULT;
                }

                @Override
                public void run(String payload) {
                    REMAINING.get().countDown();
                }
            };
        }
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int warmup = Math.min(5_000, jobs / 5);
        try (ConfigurableApplicationContext context = BenchServer.start(new Class<?>[] {NoOpJob.class},
                "--forgeline.jobs.stuck-job-sweep.enabled=false", "--forgeline.jobs.dead-letter-cleanup.enabled=false")) {
            Jobs queue = context.getBean(Jobs.class);
            System.out.printf("job throughput on %s, %d worker threads%n", BenchServer.database(context),
                    context.getBean(dev.forgeline.platform.ForgelineProperties.class).jobs().threads());
            run(queue, warmup);
            double perSecond = run(queue, jobs);
            System.out.printf("RESULT jobs=%d throughput=%.0f jobs/s (enqueue -> completed)%n", jobs, perSecond);
        }
    }

    private static double run(Jobs queue, int count) throws InterruptedException {
        CountDownLatch remaining = new CountDownLatch(count);
        REMAINING.set(remaining);
        long start = System.nanoTime();
        List<String> batch = new ArrayList<>(1000);
        for (int i = 0; i < count; i++) {
            batch.add(Integer.toString(i));
            if (batch.size() == 1000) {
                queue.enqueueAll("bench-no-op", batch);
                batch.clear();
            }
        }
        queue.enqueueAll("bench-no-op", batch);
        if (!remaining.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(remaining.getCount() + " jobs still not run after 10 minutes");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return count / (took.toNanos() / 1e9);
    }
}
