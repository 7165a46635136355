package dev.forgeline.ingest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.forgeline.ingest.DeliveryReceived;
import dev.forgeline.ingest.internal.Connections.Verifier;
import dev.forgeline.ingest.internal.StoredEvents.NewEvent;
import dev.forgeline.ingest.internal.StoredEvents.Status;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.ForgelineProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The front door for forge webhooks. A delivery is answered 202 only once its raw body is stored together
 * with the job that will process it; if the database cannot store it the answer is 503, so the forge retries.
 * Nothing is parsed beyond what checking it needs: the work happens in the job.
 */
@RestController
@Tag(name = "Webhooks")
@Access(Access.Rule.PUBLIC)
class WebhookController {

    /** Headers never kept: they are credentials. */
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "cookie", "x-gitlab-token");

    private final Connections connections;
    private final EventWriter writer;
    private final JsonMapper json;
    private final long maxBody;
    private final ApplicationEventPublisher publisher;

    WebhookController(Connections connections, EventWriter writer, JsonMapper json, ForgelineProperties settings,
                      ApplicationEventPublisher publisher) {
        this.connections = connections;
        this.writer = writer;
        this.json = json;
        this.maxBody = settings.ingest().maxBody().toBytes();
        this.publisher = publisher;
    }

    record Accepted(long eventId, String status, boolean duplicate) {
    }

    @PostMapping("/api/v1/webhooks/{provider}/{connectionId}")
    @Operation(summary = "Receive a webhook delivery from GitHub, GitLab or Gitea/Forgejo")
    @ApiResponse(responseCode = "202", description = "Stored; processed soon",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Accepted.class)))
    @ApiResponse(responseCode = "200", description = "A repeated delivery: the first one's event",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Accepted.class)))
    ResponseEntity<?> receive(@PathVariable String provider, @PathVariable String connectionId, HttpServletRequest request,
                              HttpServletResponse response) throws IOException {
        Provider forge = Provider.parse(provider).orElse(null);
        Verifier connection = forge == null ? null : parseId(connectionId)
                .flatMap(connections::verifier).filter(v -> v.provider() == forge).orElse(null);
        if (connection == null) {
            return problem(HttpStatus.NOT_FOUND, "no " + provider + " connection " + connectionId);
        }
        if (request.getContentLengthLong() > maxBody) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "body over " + maxBody + " bytes");
        }
        byte[] body = readAtMost(request.getInputStream(), maxBody);
        if (body == null) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "body over " + maxBody + " bytes");
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the webhook as application/json (content type "
                    + (contentType == null ? "missing" : contentType) + ")");
        }
        String refusal = forge.refusal(request, connection.secret(), body);
        if (refusal != null) {
            return problem(HttpStatus.UNAUTHORIZED, refusal);
        }
        Scan scan;
        try {
            // Jackson reads the bytes as UTF-8 and refuses malformed sequences: one pass checks both.
            scan = checked(body);
        } catch (StreamReadException e) {
            return problem(HttpStatus.BAD_REQUEST, "body is not a JSON object: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, "body is not a JSON object: " + e.getMessage());
        }
        String eventType = forge.eventType(request).orElse(null);
        if (eventType == null) {
            return problem(HttpStatus.BAD_REQUEST, "missing event type header");
        }
        String deliveryId = forge.deliveryId(request).orElseGet(() -> "sha256:" + sha256(body));
        // Checked here, not left to the database: deliveries of every connection are stored in one statement, and one
        // value that does not fit its column would fail them all.
        String unfit = unfit(forge.eventHeader(), eventType, StoredEvents.MAX_EVENT_TYPE);
        unfit = unfit != null ? unfit : unfit(forge.deliveryHeader(), deliveryId, StoredEvents.MAX_DELIVERY_ID);
        unfit = unfit != null ? unfit : unfit("action in the body", scan.action(), StoredEvents.MAX_ACTION);
        if (unfit != null) {
            return problem(HttpStatus.BAD_REQUEST, unfit);
        }
        Status status = Normaliser.handles(forge, eventType) ? Status.RECEIVED : Status.IGNORED;
        var event = new NewEvent(connection.id(), forge, eventType, scan.action(), scan.repositoryKey(), deliveryId,
                headers(request), new String(body, StandardCharsets.UTF_8), status);

        EventWriter.Stored stored;
        try {
            stored = writer.store(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "shutting down: retry");
        } catch (DataIntegrityViolationException e) {
            // Only this delivery's row was refused (the writer stores the others of its batch one by one).
            return problem(HttpStatus.BAD_REQUEST, "a header or field of this delivery cannot be stored");
        }
        if (stored.duplicate()) {
            return answer(response, HttpStatus.OK, new Accepted(stored.eventId(), "duplicate", true));
        }
        long id = stored.eventId();
        publisher.publishEvent(new DeliveryReceived(id, connection.id(), forge.id(), eventType, scan.action(), status.id(), Instant.now()));
        return answer(response, HttpStatus.ACCEPTED, new Accepted(id, status.id(), false));
    }

    /**
     * Writes the answer itself: the busiest route skips content negotiation and the JSON converter, which cost about a
     * tenth of the accept path's CPU. A null return tells Spring the response is complete.
     */
    private static ResponseEntity<?> answer(HttpServletResponse response, HttpStatus status, Accepted accepted) throws IOException {
        // Every part is a number, a boolean or one of the fixed status names: nothing to escape.
        byte[] json = ("{\"eventId\":" + accepted.eventId() + ",\"status\":\"" + accepted.status() + "\",\"duplicate\":"
                + accepted.duplicate() + "}").getBytes(StandardCharsets.US_ASCII);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
        return null;
    }

    /** What the accept path reads from a body while checking it: the action, and which repository it is about. */
    record Scan(String action, String repositoryKey) {
    }

    /**
     * Checks the body is one JSON object, and finds its action (top level, or GitLab's object_attributes.action)
     * and its repository: the id of the top-level repository (GitHub, Gitea) or project (GitLab), else GitLab's
     * top-level project_id.
     */
    private Scan checked(byte[] body) {
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("expected an object");
            }
            String action = null;
            String nestedAction = null;
            String repository = null;
            String projectId = null;
            int depth = 1;
            String objectAtDepth1 = null;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case PROPERTY_NAME -> {
                        String name = parser.currentName();
                        if (depth == 1) {
                            objectAtDepth1 = name;
                            if (name.equals("action")) {
                                action = scalar(parser) && parser.currentToken() == JsonToken.VALUE_STRING ? parser.getString() : null;
                            } else if (name.equals("project_id") && scalar(parser)) {
                                projectId = parser.getString();
                            }
                        } else if (depth == 2 && name.equals("action") && "object_attributes".equals(objectAtDepth1)) {
                            nestedAction = scalar(parser) && parser.currentToken() == JsonToken.VALUE_STRING ? parser.getString() : null;
                        } else if (depth == 2 && name.equals("id") && repository == null
                                && ("repository".equals(objectAtDepth1) || "project".equals(objectAtDepth1))
                                && scalar(parser)) {
                            repository = parser.getString();
                        }
                    }
                    default -> {
                    }
                }
                if (depth == 0) {
                    if (parser.nextToken() != null) {
                        throw new IllegalArgumentException("more than one JSON value");
                    }
                    break;
                }
            }
            if (depth != 0) {
                throw new IllegalArgumentException("unexpected end of the body");
            }
            String key = repository != null ? repository : projectId;
            // Only a shortcut for processing in batches: a key that does not fit is left out, not refused.
            return new Scan(action != null ? action : nestedAction,
                    key != null && fits(key, StoredEvents.MAX_REPOSITORY_KEY) ? key : null);
        }
    }

    /**
     * Moves to the property's value: whether it is a plain value. An object or an array is skipped whole, so that
     * the depth the scan counts stays right; the job then finds the value has the wrong shape.
     */
    private static boolean scalar(JsonParser parser) {
        JsonToken value = parser.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            parser.skipChildren();
            return false;
        }
        return value != null && value.isScalarValue();
    }

    /** Why the value cannot be stored as it is (too long for its column, or a NUL PostgreSQL refuses), or null. */
    private static String unfit(String field, String value, int max) {
        return value == null || fits(value, max) ? null
                : value.length() > max ? field + " is over " + max + " characters" : field + " holds a NUL character";
    }

    private static boolean fits(String value, int max) {
        return value.length() <= max && value.indexOf('\0') < 0;
    }

    private String headers(HttpServletRequest request) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                kept.put(name, request.getHeader(name));
            }
        }
        String text = json.writeValueAsString(kept);
        return text.length() <= 4000 ? text : text.substring(0, 4000);
    }

    /** @return the body, or null when it is longer than max */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        return body.length > max ? null : body;
    }

    private static java.util.Optional<Long> parseId(String id) {
        try {
            return java.util.Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static String sha256(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
