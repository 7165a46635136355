package dev.forgeline.ingest;

import java.time.Instant;

/**
 * Published (Spring application event) once a webhook delivery is stored and acknowledged, after its commit;
 * not for a repeated delivery. Live views listen to it; it carries no payload and no secret.
 */
public record DeliveryReceived(long eventId, long connectionId, String provider, String eventType, String action,
                               String status, Instant receivedAt) {
}
