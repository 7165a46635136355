package dev.forgeline.activity;

/**
 * Announced, inside the transaction that records it, after each forge event is written to the model. Listeners
 * that keep views of their own (metrics, compliance) update them in the same transaction, so a view never
 * misses an event the model holds; they must be as idempotent and order-independent as the model itself.
 */
public record ActivityRecorded(long connectionId, long repositoryId, ForgeEvent event) {
}
