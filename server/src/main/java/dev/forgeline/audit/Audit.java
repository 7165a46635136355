package dev.forgeline.audit;

/**
 * Records an admin or security action. The actor is whoever makes the current request ({@code system}
 * outside one); the entry is written in the caller's transaction, so it exists exactly when the action does.
 */
public interface Audit {

    /**
     * @param action     what happened, as {@code object.verb}: {@code token.created}, {@code dead-job.resurrected}
     * @param targetType the kind of object acted on, e.g. {@code token}
     * @param targetId   its id
     * @param detail     one line for a person; never a secret
     */
    void record(String action, String targetType, String targetId, String detail);
}
