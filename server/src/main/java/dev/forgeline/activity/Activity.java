package dev.forgeline.activity;

/** Records normalised forge events into the model. Idempotent and order-independent: call it in any order, any number of times. */
public interface Activity {

    /** Records the event within the caller's transaction; returns the id of the repository it belongs to. */
    long record(long connectionId, ForgeEvent event);

    /** Records who the payload names, within the caller's transaction, for the repository {@link #record} returned. */
    void record(long repositoryId, String provider, Participants participants);
}
