package dev.forgeline.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A page's live stream ({@code GET /live/{page}}) read over real HTTP as a browser's EventSource reads it: its events
 * arrive on a queue; closing it hangs up like a browser that went away.
 */
public final class LiveStream implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One server-sent event as the browser sees it. */
    public record Event(String id, String name, String data) {
    }

    private final int status;
    private final String contentType;
    private final Stream<String> lines;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private LiveStream(int status, String contentType, Stream<String> lines) {
        this.status = status;
        this.contentType = contentType;
        this.lines = lines;
    }

    /** Opens the page's stream with the token (none: anonymous); a refused one is closed at once and only its status is kept. */
    public static LiveStream open(int port, String page, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/live/" + page))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> answer;
        try {
            answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LiveStream stream = new LiveStream(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(""), answer.body());
        if (answer.statusCode() != 200) {
            stream.close();
            return stream;
        }
        Thread.ofVirtual().start(() -> {
            Map<String, String> fields = new HashMap<>();
            try {
                answer.body().forEach(line -> {
                    if (line.isEmpty()) {
                        if (fields.containsKey("event")) {
                            stream.events.add(new Event(fields.get("id"), fields.get("event"), fields.get("data")));
                        }
                        fields.clear();
                    } else if (!line.startsWith(":") && line.contains(":")) {
                        fields.merge(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1), (a, b) -> a + "\n" + b);
                    }
                });
            } catch (RuntimeException closed) {
                // The test hung up.
            }
        });
        return stream;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** The next event of this name within 15 s, skipping others. */
    public Event next(String name) throws InterruptedException {
        for (Event e; (e = events.poll(15, TimeUnit.SECONDS)) != null; ) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no '" + name + "' event within 15 s");
    }

    /** The next event that matches within the time, skipping others; null when none came. */
    public Event next(java.util.function.Predicate<Event> wanted, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            Event e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        return null;
    }

    /** Every event that arrives within the time. */
    public List<Event> during(Duration time) throws InterruptedException {
        List<Event> seen = new ArrayList<>();
        long end = System.nanoTime() + time.toNanos();
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            Event e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e != null) {
                seen.add(e);
            }
        }
        return seen;
    }

    @Override
    public void close() {
        lines.close();
    }
}
