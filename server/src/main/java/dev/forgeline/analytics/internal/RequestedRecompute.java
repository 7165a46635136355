package dev.forgeline.analytics.internal;

import static dev.forgeline.schema.Tables.AN_RECOMPUTE_REQUEST;

import java.util.List;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.platform.ForgelineProperties;

/**
 * Runs the full recompute that a migration asked for (an_recompute_request) before the process reports itself ready,
 * so that values the migration added are filled from the facts before anyone reads them. Of processes starting
 * together, the first takes the request; the others wait for it and find nothing left to do.
 */
@Component
class RequestedRecompute implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(RequestedRecompute.class);

    private final DSLContext db;
    private final FullRecompute recompute;
    private final TransactionTemplate transaction;
    private final boolean enabled;

    RequestedRecompute(DSLContext db, FullRecompute recompute, TransactionTemplate transaction, ForgelineProperties settings) {
        this.db = db;
        this.recompute = recompute;
        this.transaction = transaction;
        this.enabled = settings.analytics().enabled();
    }

    @Override
    public void run(ApplicationArguments arguments) {
        // Without analytics nothing keeps the facts: the request waits for a process that has it on.
        if (enabled && db.fetchExists(AN_RECOMPUTE_REQUEST)) {
            runRequested();
        }
    }

    /** Recomputes if a request is waiting; answers whether it did. */
    boolean runRequested() {
        return Boolean.TRUE.equals(transaction.execute(tx -> {
            var r = AN_RECOMPUTE_REQUEST;
            List<String> reasons = db.select(r.REASON).from(r).orderBy(r.REASON).forUpdate().fetch(r.REASON);
            if (reasons.isEmpty()) {
                return false;
            }
            long start = System.nanoTime();
            var phases = recompute.recompute();
            db.deleteFrom(r).execute();
            log.info("analytics recomputed as asked ({}) in {} ms (phases in ms: {})", String.join(", ", reasons),
                    (System.nanoTime() - start) / 1_000_000, phases);
            return true;
        }));
    }
}
