package dev.forgeline.platform;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * State that lives as long as the current transaction: a worker that records many events in one transaction
 * takes a lock once, or writes what the events add up to once, just before the commit, instead of per event.
 */
public final class TransactionScoped {

    private TransactionScoped() {
    }

    /**
     * The value bound to key in this transaction, created at the first call.
     * @param beforeCommit run once with the value just before the transaction commits (not on rollback)
     * @return the value, or null outside a transaction: the caller then does its work at once
     */
    public static <T> T get(Object key, Supplier<T> create, Consumer<T> beforeCommit) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        @SuppressWarnings("unchecked")
        T value = (T) TransactionSynchronizationManager.getResource(key);
        if (value != null) {
            return value;
        }
        T created = create.get();
        TransactionSynchronizationManager.bindResource(key, created);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                beforeCommit.accept(created);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(key);
            }
        });
        return created;
    }

    /** Runs action once the current transaction has committed (never on rollback), or at once outside a transaction. */
    public static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
