package dev.forgeline.analytics;

/** Announced when an evaluation opened or resolved alerts of an organisation, so that open pages show them at once. */
public record AlertsChanged(long organisationId, int opened, int resolved) {
}
