package dev.forgeline.analytics;

import java.time.Instant;

import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;

/**
 * A condition worth a manager's look, with the evidence for it; resolved by itself when the condition clears.
 *
 * @param kind    inactivity, review-wait, reviewer-overload or falling-score
 * @param subject what it is about: {@code person:<account id>} (with {@code /team:<id>} for reviewer overload) or
 *                {@code pull-request:<repository id>#<number>}
 */
public record Alert(long id, String kind, String subject, String evidence, Instant openedAt, Instant resolvedAt) {

    /** Managers and above read every alert of their organisation; anyone else those about themselves. */
    public boolean readableBy(OrgAccess access) {
        return readable(subject, access);
    }

    static boolean readable(String subject, OrgAccess access) {
        String self = "person:" + access.caller().accountId();
        return access.atLeast(OrgRole.MANAGER) || subject.equals(self) || subject.startsWith(self + "/");
    }
}
