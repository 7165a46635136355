package dev.forgeline.identity.internal;

import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.forgeline.jobs.RecurringJob;

/** Deletes browser sessions past their expiry and rate-limit buckets that have refilled: this only keeps the tables small. */
@Component
class SessionCleanup implements RecurringJob {

    private final LoginSessions sessions;
    private final RateLimits rateLimits;

    SessionCleanup(LoginSessions sessions, RateLimits rateLimits) {
        this.sessions = sessions;
        this.rateLimits = rateLimits;
    }

    @Override
    public String name() {
        return "session-cleanup";
    }

    @Override
    public String description() {
        return "Deletes expired browser sessions and idle rate-limit buckets";
    }

    @Override
    public String defaultSchedule() {
        return "1h";
    }

    @Override
    public void run() {
        sessions.deleteExpired(Instant.now());
        rateLimits.removeExpired();
    }
}
