package dev.forgeline.ingest.internal;

import static dev.forgeline.schema.Tables.WEBHOOK_EVENT;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.ingest.ForgeConnections;

/** The dashboard's view of connections; creation and replay go through the API's own code, audit included. */
@Component
class DashboardConnections implements ForgeConnections {

    private final Connections connections;
    private final ConnectionsController api;
    private final EventsController eventsApi;
    private final DSLContext db;

    DashboardConnections(Connections connections, ConnectionsController api, EventsController eventsApi,
                         DSLContext db) {
        this.connections = connections;
        this.api = api;
        this.eventsApi = eventsApi;
        this.db = db;
    }

    @Override
    public Connected connect(String provider, String name) {
        try {
            var created = api.create(new ConnectionsController.NewConnection(provider, name, null, null, null));
            return new Connected(created.id(), created.provider(), created.name(), created.webhookUrl(), created.secret());
        } catch (ResponseStatusException bad) {
            throw new IllegalArgumentException(bad.getReason(), bad);
        }
    }

    @Override
    public List<Connection> all() {
        return connections.list().stream().map(DashboardConnections::view).toList();
    }

    @Override
    public Optional<Connection> find(long id) {
        return all().stream().filter(c -> c.id() == id).findFirst();
    }

    @Override
    public List<Delivery> recentDeliveries(Long connectionId, int limit) {
        // Through the events API's own method, so the page lists exactly what the caller may see there.
        return eventsApi.list(connectionId, null, null, null, limit, 0).items().stream()
                .map(e -> new Delivery(e.id(), e.connectionId(), e.provider(), e.eventType(), e.action(), e.deliveryId(),
                        e.receivedAt(), e.status(), e.error(), e.processedAt()))
                .toList();
    }

    @Override
    public List<DayCount> deliveriesPerDay(Long connectionId, int days) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate first = today.minusDays(days - 1L);
        var day = DSL.cast(WEBHOOK_EVENT.RECEIVED_AT, LocalDate.class);
        Map<LocalDate, Integer> counts = db.select(day, DSL.count()).from(WEBHOOK_EVENT)
                .where(WEBHOOK_EVENT.RECEIVED_AT.ge(first.atStartOfDay().atOffset(ZoneOffset.UTC)))
                .and(connectionId == null ? DSL.noCondition() : WEBHOOK_EVENT.CONNECTION_ID.eq(connectionId))
                .groupBy(day)
                .fetchMap(r -> r.value1(), r -> r.value2());
        List<DayCount> perDay = new ArrayList<>(days);
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            perDay.add(new DayCount(d, counts.getOrDefault(d, 0)));
        }
        return perDay;
    }

    @Override
    public boolean reprocess(long eventId) {
        try {
            eventsApi.replay(eventId);
            return true;
        } catch (ResponseStatusException missing) {
            return false;
        }
    }

    private static Connection view(Connections.Connection c) {
        OffsetDateTime created = c.createdAt();
        return new Connection(c.id(), c.provider().id(), c.name(), c.baseUrl(), ConnectionsController.webhookUrl(c), created);
    }
}
