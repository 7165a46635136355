package dev.forgeline.analytics;

import java.time.Instant;

/**
 * A condition worth a manager's look, with the evidence for it; resolved by itself when the condition clears.
 *
 * @param kind    inactivity, review-wait, reviewer-overload or falling-score
 * @param subject what it is about: {@code person:<account id>} or {@code pull-request:<repository id>#<number>}
 */
public record Alert(long id, String kind, String subject, String evidence, Instant openedAt, Instant resolvedAt) {
}
