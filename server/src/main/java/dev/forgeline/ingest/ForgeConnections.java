package dev.forgeline.ingest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Forge connections and their deliveries, for the dashboard: the same rules as the connections and events API. */
public interface ForgeConnections {

    /** A connection just created: the only time its secret is shown. {@code webhookPath} starts with a slash. */
    record Connected(long id, String provider, String name, String webhookPath, String secret) {
    }

    record Connection(long id, String provider, String name, String baseUrl, String webhookPath, OffsetDateTime createdAt) {
    }

    /** One stored delivery; {@code processedAt} is empty until processing finished (processed or ignored). */
    record Delivery(long id, long connectionId, String provider, String eventType, String action, String deliveryId,
                    OffsetDateTime receivedAt, String status, String error, OffsetDateTime processedAt) {
    }

    /**
     * Connects a forge with a generated secret, audited like the API does.
     * @throws IllegalArgumentException with a one-line reason for a bad provider or name
     */
    Connected connect(String provider, String name);

    List<Connection> all();

    Optional<Connection> find(long id);

    /** Newest first; all connections when {@code connectionId} is null. */
    List<Delivery> recentDeliveries(Long connectionId, int limit);

    /** Deliveries received per UTC day over the last {@code days} days, oldest first (days without any included). */
    List<DayCount> deliveriesPerDay(Long connectionId, int days);

    record DayCount(java.time.LocalDate day, int count) {
    }

    /** Queues the delivery for processing again; false when there is no such delivery. */
    boolean reprocess(long eventId);
}
