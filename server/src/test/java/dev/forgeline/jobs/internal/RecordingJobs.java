package dev.forgeline.jobs.internal;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import dev.forgeline.jobs.JobHandler;
import dev.forgeline.jobs.JobPriority;
import dev.forgeline.jobs.RecurringJob;

/** Job handlers for tests: they record what they ran, on which thread, and fail on demand. */
@TestConfiguration(proxyBeanMethods = false)
class RecordingJobs {

    record Run(String job, String payload, String thread, long atNanos) {
    }

    static final Queue<Run> RUNS = new ConcurrentLinkedQueue<>();
    static final Map<String, Integer> FAILURES_LEFT = new ConcurrentHashMap<>();
    static final AtomicBoolean BROKEN = new AtomicBoolean();

    static List<Run> runsOf(String job) {
        return RUNS.stream().filter(r -> r.job().equals(job)).toList();
    }

    static JobHandler recording(String name, JobPriority priority) {
        return new JobHandler() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public JobPriority priority() {
                return priority;
            }

            @Override
            public void run(String payload) throws Exception {
                RUNS.add(new Run(name, payload, Thread.currentThread().getName(), System.nanoTime()));
                if (BROKEN.get() && name.equals("test-fails")) {
                    throw new java.io.IOException("upstream answered 502 for " + payload);
                }
            }
        };
    }

    @Bean
    JobHandler echo() {
        return recording("test-echo", JobPriority.DEFAULT);
    }

    @Bean
    JobHandler high() {
        return recording("test-high", JobPriority.HIGH);
    }

    @Bean
    JobHandler low() {
        return recording("test-low", JobPriority.LOW);
    }

    @Bean
    JobHandler fails() {
        return recording("test-fails", JobPriority.DEFAULT);
    }

    /** A recurring job due only once a day: a run within seconds can only have been asked for. */
    @Bean
    RecurringJob daily() {
        return new RecurringJob() {
            @Override
            public String name() {
                return "test-daily";
            }

            @Override
            public String description() {
                return "Records its runs";
            }

            @Override
            public String defaultSchedule() {
                return "1d";
            }

            @Override
            public void run() {
                RUNS.add(new Run(name(), null, Thread.currentThread().getName(), System.nanoTime()));
            }
        };
    }
}
