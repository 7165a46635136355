package dev.forgeline.analytics;

/**
 * The settings every analytics test runs with: one set, so that they all share one server (and one connection
 * pool) instead of starting one each. Recurring analytics jobs are off: tests run them when they mean to.
 */
public final class AnalyticsTests {

    public static final String ADMIN_TOKEN = "analytics-tests-admin-0123456789";
    public static final String ADMIN = "forgeline.admin-token=" + ADMIN_TOKEN;
    public static final String NO_ALERT_JOB = "forgeline.jobs.analytics-alerts.enabled=false";
    public static final String NO_SNAPSHOT_JOB = "forgeline.jobs.analytics-snapshots.enabled=false";
    public static final String SNAPSHOTS_KEPT_30_DAYS = "forgeline.analytics.snapshot-retention=30d";

    private AnalyticsTests() {
    }
}
