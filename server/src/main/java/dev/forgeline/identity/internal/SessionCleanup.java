package dev.forgeline.identity.internal;

import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.forgeline.jobs.RecurringJob;

/** Deletes browser sessions past their expiry; they no longer sign anyone in, this only keeps the table small. */
@Component
class SessionCleanup implements RecurringJob {

    private final LoginSessions sessions;

    SessionCleanup(LoginSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public String name() {
        return "session-cleanup";
    }

    @Override
    public String description() {
        return "Deletes expired browser sessions";
    }

    @Override
    public String defaultSchedule() {
        return "1h";
    }

    @Override
    public void run() {
        sessions.deleteExpired(Instant.now());
    }
}
