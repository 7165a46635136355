package dev.forgeline.ingest.internal;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.audit.Audit;
import dev.forgeline.ingest.internal.StoredEvents.EventSummary;
import dev.forgeline.ingest.internal.StoredEvents.Status;
import dev.forgeline.jobs.Jobs;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.CallerScope;
import dev.forgeline.platform.Paging;
import dev.forgeline.schema.tables.records.WebhookEventRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw deliveries: a site admin sees all, an organisation's admins and owners those of its connections. */
@RestController
@Access(Access.Rule.SIGNED_IN)
@RequestMapping("/api/v1/events")
@Tag(name = "Webhook events")
class EventsController {

    private final StoredEvents events;
    private final Jobs jobs;
    private final TransactionTemplate transaction;
    private final Audit audit;
    private final JsonMapper json;
    private final CallerScope scope;

    EventsController(StoredEvents events, Jobs jobs, TransactionTemplate transaction, Audit audit, JsonMapper json,
                     CallerScope scope) {
        this.scope = scope;
        this.events = events;
        this.jobs = jobs;
        this.transaction = transaction;
        this.audit = audit;
        this.json = json;
    }

    record EventsPage(List<EventSummary> items, int limit, int offset) {
    }

    record EventDetail(EventSummary event, JsonNode headers) {
    }

    @GetMapping
    @Operation(summary = "Deliveries received, newest first; filter by connection, provider, type and status "
            + "(received, processed, ignored, failed, dead)")
    EventsPage list(@RequestParam(required = false) Long connection, @RequestParam(required = false) String provider,
                    @RequestParam(required = false) String type, @RequestParam(required = false) String status,
                    @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset) {
        Paging.check(limit, offset);
        if (status != null && java.util.Arrays.stream(Status.values()).noneMatch(s -> s.id().equals(status))) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status must be received, processed, ignored, failed or dead");
        }
        return new EventsPage(events.list(scope.administered(), connection, provider, type, status, limit, offset), limit, offset);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One delivery: its headers, status and error")
    EventDetail get(@PathVariable long id) {
        var row = visible(id);
        var summary = new EventSummary(row.getId(), row.getConnectionId(), row.getProvider(), row.getEventType(), row.getAction(),
                row.getDeliveryId(), row.getReceivedAt(), row.getStatus(), row.getError(), row.getProcessedAt());
        return new EventDetail(summary, json.readTree(row.getHeaders()));
    }

    @PostMapping("/{id}/replay")
    @Operation(summary = "Process a stored delivery again")
    ResponseEntity<Map<String, Object>> replay(@PathVariable long id) {
        visible(id);
        transaction.executeWithoutResult(tx -> {
            events.mark(id, Status.RECEIVED, null);
            // A run of its own, not the event's first key: that job may still be finishing (its row not yet gone),
            // and a replay queued "once" behind it would never run. Processing is idempotent, so two runs are harmless.
            jobs.enqueue(EventProcessor.JOB, Long.toString(id));
            audit.record("event.replayed", "webhook-event", Long.toString(id), null);
        });
        return ResponseEntity.accepted().body(Map.of("eventId", id, "status", "received"));
    }

    /** The delivery, if the caller administers the organisation that owns its connection: 404 otherwise, as if absent. */
    private WebhookEventRecord visible(long id) {
        CallerScope.Connections administered = scope.administered();
        return events.find(id).filter(row -> administered.includes(row.getConnectionId()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no event " + id));
    }
}
