package dev.forgeline.web.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.forgeline.activity.ActivityRecorded;
import dev.forgeline.analytics.AlertsChanged;
import dev.forgeline.ingest.DeliveryReceived;

/**
 * Fans server events out to the open page streams. Events are numbered and the last few hundred kept, so a
 * browser that reconnects with {@code Last-Event-ID} gets what it missed; one that missed more is told to reload.
 * Sending happens on its own thread: a slow browser never holds up the webhook that caused the event.
 */
@Component
class LiveUpdates implements SmartLifecycle, DisposableBean {

    record LiveEvent(long id, String topic, String data) {
    }

    private record Subscriber(SseEmitter emitter, Set<String> topics) {
    }

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

    SseEmitter subscribe(Set<String> topics, Long lastEventId) {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
        Subscriber subscriber = new Subscriber(emitter, topics);
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
            missed.forEach(e -> send(subscriber, event(e)));
        });
        return emitter;
    }

    void publish(String topic, String data) {
        LiveEvent event;
        synchronized (recent) {
            event = new LiveEvent(sequence.incrementAndGet(), topic, data);
            recent.addLast(event);
            if (recent.size() > KEPT) {
                recent.removeFirst();
            }
        }
        sender.execute(() -> subscribers.values().stream().filter(s -> s.topics().contains(topic))
                .forEach(s -> send(s, event(event))));
    }

    int subscribers() {
        return subscribers.size();
    }

    /** Set when the activity model changed since the metric pages were last told. */
    private final java.util.concurrent.atomic.AtomicBoolean activityChanged = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * New activity changes what the metric pages show. A burst (a replayed history) becomes one signal a second,
     * carrying nothing but "look again": each page reloads its own region, through its own access rules.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void on(ActivityRecorded recorded) {
        activityChanged.set(true);
    }

    /** Alerts opened or resolved: the pages that list them look again. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(AlertsChanged changed) {
        publish("alert", "{\"organisationId\":" + changed.organisationId() + ",\"opened\":" + changed.opened()
                + ",\"resolved\":" + changed.resolved() + "}");
    }

    @EventListener
    void on(DeliveryReceived delivery) {
        publish("delivery", "{\"eventId\":" + delivery.eventId() + ",\"connectionId\":" + delivery.connectionId()
                + ",\"eventType\":\"" + jsonText(delivery.eventType()) + "\",\"status\":\"" + delivery.status() + "\"}");
    }

    private static SseEmitter.SseEventBuilder event(LiveEvent e) {
        return SseEmitter.event().id(Long.toString(e.id())).name(e.topic()).data(e.data(), MediaType.APPLICATION_JSON);
    }

    private void send(Subscriber subscriber, SseEmitter.SseEventBuilder event) {
        try {
            subscriber.emitter().send(event);
        } catch (IOException | IllegalStateException gone) {
            subscribers.remove(subscriber.emitter());
            subscriber.emitter().completeWithError(gone);
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
        beats.add(heartbeat.scheduleAtFixedRate(() -> {
            if (activityChanged.getAndSet(false)) {
                publish("metrics", "{}");
            }
        }, 1, 1, TimeUnit.SECONDS));
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
