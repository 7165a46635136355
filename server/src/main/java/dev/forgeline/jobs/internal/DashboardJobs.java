package dev.forgeline.jobs.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.jobs.JobsOverview;

/** Answers through the admin API's own code, so the page and the API never disagree. */
@Component
class DashboardJobs implements JobsOverview {

    private final JobsAdminController api;

    DashboardJobs(JobsAdminController api) {
        this.api = api;
    }

    @Override
    public List<Recurring> recurring() {
        return api.jobs().recurring().stream().map(r -> new Recurring(r.name(), r.description(), r.enabled(), r.schedule(),
                r.nextRun(), r.running(), r.lastSuccess(), r.lastFailure(), r.consecutiveFailures())).toList();
    }

    @Override
    public List<Queue> queues() {
        return api.jobs().queues().stream().map(q -> new Queue(q.job(), q.priority(), q.queued(), q.running(), q.dead())).toList();
    }

    @Override
    public List<DeadLetter> deadLetters(int limit, int offset) {
        return api.deadJobs(null, limit, offset).items().stream().map(d -> new DeadLetter(d.id(), d.job(), d.key(),
                d.priority(), d.attempts(), d.lastError(), d.diedAt())).toList();
    }

    @Override
    public int deadLetterCount() {
        return api.deadJobs(null, 1, 0).total();
    }

    @Override
    public boolean resurrect(long deadJobId) {
        try {
            api.resurrect(deadJobId);
            return true;
        } catch (ResponseStatusException gone) {
            return false;
        }
    }

    @Override
    public Optional<String> runNow(String recurringJob) {
        try {
            api.runNow(recurringJob);
            return Optional.empty();
        } catch (ResponseStatusException refused) {
            return Optional.ofNullable(refused.getReason());
        }
    }
}
