package dev.forgeline.jobs.internal;

/** Carries a handler's checked exception through db-scheduler, which only lets unchecked ones out. */
final class JobFailedException extends RuntimeException {
    JobFailedException(Throwable cause) {
        super(cause.getMessage(), cause, false, false);
    }
}
