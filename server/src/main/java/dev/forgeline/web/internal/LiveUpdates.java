package dev.forgeline.web.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.forgeline.activity.ActivityRecorded;
import dev.forgeline.analytics.AlertsChanged;
import dev.forgeline.identity.Caller;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.Organisations;
import dev.forgeline.identity.OrganisationsChanged;
import dev.forgeline.identity.ReadAccess;
import dev.forgeline.ingest.DeliveryReceived;

/**
 * Fans server events out to the open page streams. Events are numbered and the last few hundred kept, so a
 * browser that reconnects with {@code Last-Event-ID} gets what it missed; one that missed more is told to reload.
 * Sending happens on its own thread: a slow browser never holds up the webhook that caused the event.
 * <p>
 * Each event names who may have it, and a subscriber gets (or is replayed) only what the routes would show it:
 * an organisation's events go to its members (a course's activity only to those who may read one of the
 * repositories it touched, alerts by the alerts route's rule), deliveries to site admins. What a subscriber may
 * read is looked up once when it subscribes and again after identity announces a change of memberships.
 */
@Component
class LiveUpdates implements SmartLifecycle, DisposableBean {

    record LiveEvent(long id, String topic, Audience audience, String data) {
    }

    /** Who may receive an event. */
    sealed interface Audience {
    }

    /** Admin information (deliveries): site admins acting as such. */
    record SiteAdmins() implements Audience {
    }

    /** New activity in these repositories of the organisation: for those who may read one of them. */
    record Activity(long organisationId, Set<Long> repositories) implements Audience {
    }

    /** Alerts of the organisation opened or resolved: for those who may read one of them. */
    record Alerts(AlertsChanged changed) implements Audience {
    }

    /**
     * What one subscriber may read: every organisation for a site admin ({@code everywhere}), else its access to
     * each organisation it belongs to.
     */
    record Rights(boolean admin, boolean everywhere, Map<Long, OrgAccess> organisations) {
    }

    private static final class Subscriber {
        final SseEmitter emitter;
        final Set<String> topics;
        final Caller caller;
        volatile Rights rights;

        Subscriber(SseEmitter emitter, Set<String> topics, Caller caller, Rights rights) {
            this.emitter = emitter;
            this.topics = topics;
            this.caller = caller;
            this.rights = rights;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);
    static final long STREAM_TIMEOUT_MILLIS = 10 * 60_000L;
    private static final int KEPT = 500;

    /** Ids start at the clock so that ids after a restart are above any a browser still holds. */
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Deque<LiveEvent> recent = new ArrayDeque<>();
    private final Map<SseEmitter, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("live-updates").factory());
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("live-heartbeat").factory());
    private final List<ScheduledFuture<?>> beats = new ArrayList<>();
    private volatile boolean running;

    private final ReadAccess readAccess;
    private final Organisations organisations;
    /** Read again after a change of memberships; replaced whole, so a read begun before the change is dropped. */
    private final AtomicReference<Map<Long, Map<Long, Set<Long>>>> repositoryTeams = new AtomicReference<>(new ConcurrentHashMap<>());
    private final AtomicReference<Map<Long, Optional<Long>>> connectionOwners = new AtomicReference<>(new ConcurrentHashMap<>());
    private final AtomicBoolean rightsStale = new AtomicBoolean();
    /** The repositories with new activity since the metric pages were last told, by connection. */
    private final Map<Long, Set<Long>> changedRepositories = new ConcurrentHashMap<>();

    LiveUpdates(ReadAccess readAccess, Organisations organisations) {
        this.readAccess = readAccess;
        this.organisations = organisations;
    }

    SseEmitter subscribe(Set<String> topics, Caller caller, Long lastEventId) {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
        Subscriber subscriber = new Subscriber(emitter, topics, caller, rights(caller));
        emitter.onCompletion(() -> subscribers.remove(emitter));
        emitter.onTimeout(() -> subscribers.remove(emitter));
        emitter.onError(e -> subscribers.remove(emitter));
        List<LiveEvent> missed;
        boolean gap;
        synchronized (recent) {
            missed = lastEventId == null ? List.of()
                    : recent.stream().filter(e -> e.id() > lastEventId && topics.contains(e.topic())).toList();
            gap = lastEventId != null && !recent.isEmpty() && recent.peekFirst().id() > lastEventId + 1;
            subscribers.put(emitter, subscriber);
        }
        sender.execute(() -> {
            send(subscriber, SseEmitter.event().name("ready").reconnectTime(2000).data("live"));
            if (gap) {
                send(subscriber, SseEmitter.event().id(Long.toString(sequence.get())).name("reload").data("missed events"));
            }
            missed.stream().filter(e -> mayReceive(subscriber.rights, e.audience())).forEach(e -> send(subscriber, event(e)));
        });
        return emitter;
    }

    void publish(String topic, Audience audience, String data) {
        LiveEvent event;
        synchronized (recent) {
            event = new LiveEvent(sequence.incrementAndGet(), topic, audience, data);
            recent.addLast(event);
            if (recent.size() > KEPT) {
                recent.removeFirst();
            }
        }
        sender.execute(() -> subscribers.values().stream()
                .filter(s -> s.topics.contains(topic) && mayReceive(s.rights, audience))
                .forEach(s -> send(s, event(event))));
    }

    /** The routes' rules, applied to an event; runs on the sender thread. */
    private boolean mayReceive(Rights rights, Audience audience) {
        return switch (audience) {
            case SiteAdmins admins -> rights.admin();
            case Activity activity -> rights.everywhere() || readsOneOf(rights.organisations().get(activity.organisationId()), activity);
            case Alerts alerts -> {
                OrgAccess access = rights.organisations().get(alerts.changed().organisationId());
                yield rights.everywhere() || access != null && alerts.changed().readableBy(access);
            }
        };
    }

    /** Whether a member with this access (null: none) may read one of the repositories the activity touched. */
    private boolean readsOneOf(OrgAccess access, Activity activity) {
        if (access == null) {
            return false;
        }
        if (access.readsEveryRepository()) {
            return true;
        }
        Map<Long, Set<Long>> teams = teams(activity.organisationId()).orElse(null);
        return teams != null && activity.repositories().stream().anyMatch(id -> access.mayReadRepository(teams.getOrDefault(id, Set.of())));
    }

    /** The organisation's repository teams; empty while they cannot be read (a course's activity then reaches only its admins). */
    private Optional<Map<Long, Set<Long>>> teams(long organisationId) {
        try {
            return Optional.of(repositoryTeams.get().computeIfAbsent(organisationId, readAccess::repositoryTeams));
        } catch (RuntimeException unreachable) {
            return Optional.empty();
        }
    }

    private Rights rights(Caller caller) {
        Map<Long, OrgAccess> byOrganisation = new HashMap<>();
        if (!caller.admin()) {
            readAccess.organisations(caller).forEach(access -> byOrganisation.put(access.organisation().id(), access));
        }
        return new Rights(caller.actsAsAdmin(), caller.admin(), Map.copyOf(byOrganisation));
    }

    /** Members, teams or their repositories changed: what each subscriber may read is looked up again. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(OrganisationsChanged changed) {
        repositoryTeams.set(new ConcurrentHashMap<>());
        connectionOwners.set(new ConcurrentHashMap<>());
        // On the sender thread, before any event published after this change is sent; a burst of changes is one look.
        if (rightsStale.compareAndSet(false, true)) {
            sender.execute(() -> {
                rightsStale.set(false);
                subscribers.values().forEach(this::refresh);
            });
        }
    }

    int subscribers() {
        return subscribers.size();
    }

    private void refresh(Subscriber subscriber) {
        try {
            subscriber.rights = rights(subscriber.caller);
        } catch (RuntimeException unreachable) {
            // Rights that may be out of date are not used: the browser reconnects and subscribes anew.
            subscribers.remove(subscriber.emitter);
            subscriber.emitter.complete();
        }
    }

    /**
     * New activity changes what the metric pages show. A burst (a replayed history) becomes one signal a second per
     * organisation, carrying nothing but "look again": each page reloads its own region, through its own access rules.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void on(ActivityRecorded recorded) {
        changedRepositories.computeIfAbsent(recorded.connectionId(), c -> ConcurrentHashMap.newKeySet()).add(recorded.repositoryId());
    }

    private void tellMetricPages() {
        try {
            Map<Long, Set<Long>> byOrganisation = new HashMap<>();
            boolean unowned = false;
            for (Long connection : changedRepositories.keySet()) {
                Set<Long> repositories = changedRepositories.remove(connection);
                Optional<Long> owner = connectionOwners.get().computeIfAbsent(connection, organisations::ownerOfConnection);
                if (owner.isPresent()) {
                    byOrganisation.computeIfAbsent(owner.get(), o -> new HashSet<>()).addAll(repositories);
                } else {
                    unowned = true;
                }
            }
            byOrganisation.forEach((organisation, repositories) -> publish("metrics", new Activity(organisation, Set.copyOf(repositories)),
                    "{\"organisationId\":" + organisation + "}"));
            if (unowned) {
                // A connection no organisation owns shows in no organisation's pages; only site admins see its data.
                publish("metrics", new SiteAdmins(), "{\"organisationId\":null}");
            }
        } catch (RuntimeException unreachable) {
            // The database is out of reach: the pages are told with the next activity; a scheduled beat that threw would stop for good.
            log.debug("live metrics signal skipped: {}", unreachable.getMessage());
        }
    }

    /** Alerts opened or resolved: the pages that list them look again. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(AlertsChanged changed) {
        publish("alert", new Alerts(changed), "{\"organisationId\":" + changed.organisationId() + "}");
    }

    @EventListener
    void on(DeliveryReceived delivery) {
        publish("delivery", new SiteAdmins(), "{\"eventId\":" + delivery.eventId() + ",\"connectionId\":" + delivery.connectionId()
                + ",\"eventType\":\"" + jsonText(delivery.eventType()) + "\",\"status\":\"" + delivery.status() + "\"}");
    }

    private static SseEmitter.SseEventBuilder event(LiveEvent e) {
        return SseEmitter.event().id(Long.toString(e.id())).name(e.topic()).data(e.data(), MediaType.APPLICATION_JSON);
    }

    private void send(Subscriber subscriber, SseEmitter.SseEventBuilder event) {
        try {
            subscriber.emitter.send(event);
        } catch (IOException | IllegalStateException gone) {
            subscribers.remove(subscriber.emitter);
            subscriber.emitter.completeWithError(gone);
        }
    }

    private static String jsonText(String text) {
        return text == null ? "" : text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public synchronized void start() {
        running = true;
        // A comment line now and then: proxies keep the stream open and a closed browser is noticed.
        beats.add(heartbeat.scheduleAtFixedRate(() -> sender.execute(() -> subscribers.values()
                .forEach(s -> send(s, SseEmitter.event().comment("keep-alive")))), 25, 25, TimeUnit.SECONDS));
        beats.add(heartbeat.scheduleAtFixedRate(this::tellMetricPages, 1, 1, TimeUnit.SECONDS));
    }

    /** Ends the streams and the beats; the context may start this again (a paused one is restarted). */
    @Override
    public synchronized void stop() {
        running = false;
        beats.forEach(beat -> beat.cancel(false));
        beats.clear();
        subscribers.keySet().forEach(SseEmitter::complete);
        subscribers.clear();
    }

    @Override
    public void destroy() {
        heartbeat.shutdownNow();
        sender.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
