package dev.forgeline.jobs.internal;

import org.springframework.context.SmartLifecycle;

import com.github.kagkarlsson.scheduler.Scheduler;

/**
 * Starts this process's job runner once the application is up, and stops it (letting running jobs finish
 * for a while) before the database connections close. Holds no scheduler in processes without the worker role.
 */
record WorkerScheduler(Scheduler scheduler) implements SmartLifecycle {

    private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    @Override
    public void start() {
        if (scheduler != null) {
            scheduler.start();
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && scheduler.getSchedulerState().isStarted() && !scheduler.getSchedulerState().isShuttingDown();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** A db-scheduler that stopped cannot start again, so a context that is paused and resumed keeps it running. */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
