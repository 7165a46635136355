package dev.forgeline.ingest.internal;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.activity.Activity;
import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.Participants;
import dev.forgeline.ingest.internal.StoredEvents.Status;
import dev.forgeline.jobs.JobDeadLettered;
import dev.forgeline.jobs.JobHandler;
import dev.forgeline.jobs.JobPriority;
import dev.forgeline.schema.tables.records.WebhookEventRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The high-priority job that turns one stored delivery into activity rows, in one transaction. */
@Component
class EventProcessor implements JobHandler {

    static final String JOB = "ingest-process";
    private static final int RACE_RETRIES = 5;
    private static final Logger log = LoggerFactory.getLogger(EventProcessor.class);

    private final StoredEvents events;
    private final Activity activity;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    EventProcessor(StoredEvents events, Activity activity, TransactionTemplate transaction, JsonMapper json) {
        this.events = events;
        this.activity = activity;
        this.transaction = transaction;
        this.json = json;
    }

    static String key(long eventId) {
        return "event-" + eventId;
    }

    @Override
    public String name() {
        return JOB;
    }

    @Override
    public JobPriority priority() {
        return JobPriority.HIGH;
    }

    @Override
    public void run(String payload) {
        long id = Long.parseLong(payload);
        WebhookEventRecord event = events.find(id).orElse(null);
        if (event == null) {
            return; // pruned by retention meanwhile
        }
        try {
            Provider provider = Provider.parse(event.getProvider()).orElseThrow();
            JsonNode root = json.readTree(event.getBody());
            List<ForgeEvent> normalised = Normaliser.normalise(provider, event.getEventType(), root);
            Participants participants = normalised.isEmpty() ? Participants.NONE : Normaliser.participants(provider, root);
            for (int attempt = 1; ; attempt++) {
                try {
                    transaction.executeWithoutResult(tx -> {
                        long repositoryId = 0;
                        for (ForgeEvent e : normalised) {
                            repositoryId = activity.record(event.getConnectionId(), e);
                        }
                        if (!normalised.isEmpty()) {
                            activity.record(repositoryId, provider.id(), participants);
                        }
                        events.mark(id, normalised.isEmpty() ? Status.IGNORED : Status.PROCESSED, null);
                    });
                    break;
                } catch (DuplicateKeyException | PessimisticLockingFailureException raced) {
                    // Another worker created the same repository or pull request a moment ago, or the database chose
                    // this transaction as a deadlock's victim: it was rolled back whole, and the next try goes through.
                    if (attempt == RACE_RETRIES) {
                        throw raced;
                    }
                }
            }
        } catch (RuntimeException e) {
            // Visible on the event at once; the job's retries (and then the dead letters) take it from here.
            events.mark(id, Status.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    @EventListener
    void on(JobDeadLettered dead) {
        if (dead.job().equals(JOB) && dead.payload() != null) {
            log.error("webhook event {} could not be processed: {}", dead.payload(), dead.error());
            events.mark(Long.parseLong(dead.payload()), Status.DEAD, dead.error());
        }
    }
}
