package dev.forgeline.jobs.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;

import dev.forgeline.jobs.JobDeadLettered;

/**
 * Retries a failed job after each configured delay (30 s, 2 min, 5 min by default), then moves it to the
 * dead-letter table. Moving is one transaction: the job is never both queued and dead, nor neither.
 */
final class RetryThenDeadLetter implements FailureHandler<String> {

    private static final Logger log = LoggerFactory.getLogger(RetryThenDeadLetter.class);

    private final List<Duration> delays;
    private final DeadLetters deadLetters;
    private final TransactionTemplate transaction;
    private final JobMetrics metrics;
    private final ApplicationEventPublisher events;

    RetryThenDeadLetter(List<Duration> delays, DeadLetters deadLetters, TransactionTemplate transaction, JobMetrics metrics,
                        ApplicationEventPublisher events) {
        this.events = events;
        this.delays = List.copyOf(delays);
        this.deadLetters = deadLetters;
        this.transaction = transaction;
        this.metrics = metrics;
    }

    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<String> operations) {
        Execution execution = complete.getExecution();
        // consecutiveFailures counts the failures before this one.
        int failuresBefore = execution.consecutiveFailures;
        String jobName = execution.taskInstance.getTaskName();
        String error = complete.getCause().map(RetryThenDeadLetter::describe).orElse("failed without a message");
        metrics.failed(jobName);
        if (failuresBefore < delays.size()) {
            Instant retryAt = complete.getTimeDone().plus(delays.get(failuresBefore));
            log.warn("job {} {} failed (attempt {}), retrying at {}: {}", jobName, execution.taskInstance.getId(),
                    failuresBefore + 1, retryAt, error);
            operations.reschedule(complete, retryAt);
            return;
        }
        log.error("job {} {} failed {} times, moved to the dead letters: {}", jobName, execution.taskInstance.getId(),
                failuresBefore + 1, error);
        transaction.executeWithoutResult(status -> {
            Object data = execution.taskInstance.getData();
            String payload = data == null ? null : data.toString();
            deadLetters.add(jobName, execution.taskInstance.getId(), payload,
                    execution.taskInstance.getPriority(), failuresBefore + 1, error, complete.getTimeDone());
            operations.remove();
            events.publishEvent(new JobDeadLettered(jobName, execution.taskInstance.getId(), payload, error));
        });
    }

    /** The error an admin reads: the job's own exception, not our wrapper around it. */
    static String describe(Throwable failure) {
        Throwable cause = failure instanceof JobFailedException && failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
