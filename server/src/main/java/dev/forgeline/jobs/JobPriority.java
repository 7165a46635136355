package dev.forgeline.jobs;

/** Queue priority: a worker always takes due high jobs before default ones, and default before low. */
public enum JobPriority {
    /** Ingest: what a forge just sent us. */
    HIGH(90),
    /** Enrichment, metrics, CI and deploys. */
    DEFAULT(50),
    /** Reports and cleanup. */
    LOW(10);

    private final int value;

    JobPriority(int value) {
        this.value = value;
    }

    /** The value stored with each queued job; higher runs first. */
    public int value() {
        return value;
    }

    public static JobPriority of(int value) {
        for (JobPriority priority : values()) {
            if (priority.value == value) {
                return priority;
            }
        }
        return DEFAULT;
    }
}
