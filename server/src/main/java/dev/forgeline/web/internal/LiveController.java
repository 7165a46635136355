package dev.forgeline.web.internal;

import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.forgeline.identity.Caller;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;

/** One event stream per page, carrying only the topics that page shows, of what its subscriber may read. */
@RestController
@Access(Rule.SIGNED_IN)
class LiveController {

    /** Which topics each page listens to; deliveries are admin information. */
    static final Map<String, Set<String>> PAGE_TOPICS = Map.of(
            "connect", Set.of("delivery"),
            "connections", Set.of("delivery"),
            "overview", Set.of("metrics", "alert"),
            "team", Set.of("metrics", "alert"),
            "person", Set.of("metrics", "alert"));

    private static final Set<String> ADMIN_PAGES = Set.of("connect", "connections");

    private final LiveUpdates live;

    LiveController(LiveUpdates live) {
        this.live = live;
    }

    @GetMapping(path = "/live/{page}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@PathVariable String page, @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        Set<String> topics = PAGE_TOPICS.get(page);
        if (topics == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no live page " + page);
        }
        Caller caller = Caller.current().orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "sign in first"));
        if (ADMIN_PAGES.contains(page) && !caller.actsAsAdmin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "live deliveries are for admins");
        }
        return live.subscribe(topics, caller, parse(lastEventId));
    }

    private static Long parse(String lastEventId) {
        try {
            return lastEventId == null || lastEventId.isBlank() ? null : Long.parseLong(lastEventId.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
