package dev.forgeline.analytics;

import java.util.Set;

import dev.forgeline.identity.OrgAccess;

/**
 * Announced when an evaluation opened or resolved alerts of an organisation, so that open pages show them at once.
 *
 * @param subjects what the opened and resolved alerts are about (see {@link Alert#subject()})
 */
public record AlertsChanged(long organisationId, int opened, int resolved, Set<String> subjects) {

    /** Whether the change touches an alert the caller may read there ({@link Alert#readableBy}). */
    public boolean readableBy(OrgAccess access) {
        return access.organisation().id() == organisationId && subjects.stream().anyMatch(s -> Alert.readable(s, access));
    }
}
