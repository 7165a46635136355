package dev.forgeline.web.internal;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.forgeline.ingest.ForgeConnections.Connection;
import dev.forgeline.ingest.ForgeConnections.Delivery;
import dev.forgeline.ingest.ForgeConnections;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;

/** "Connect a forge": pick the forge, get the webhook URL and secret to paste, watch the first delivery arrive. */
@Controller
@Access(Rule.SITE_ADMIN)
class ConnectController {

    /** What to paste where, per forge. */
    record ForgeGuide(String id, String title, String settingsPath, String events) {
    }

    static final List<ForgeGuide> FORGES = List.of(
            new ForgeGuide("github", "GitHub", "Settings → Webhooks → Add webhook (content type application/json)",
                    "Send me everything"),
            new ForgeGuide("gitlab", "GitLab", "Settings → Webhooks → Add new webhook (the secret goes in “Secret token”)",
                    "Push, merge request, comments, pipeline, job, deployment and release events"),
            new ForgeGuide("gitea", "Gitea / Forgejo", "Settings → Webhooks → Add webhook → Gitea (POST, application/json)",
                    "All events"));

    /** One line of the checklist; done items show green. */
    record Step(String text, boolean done, String detail) {
    }

    private final ForgeConnections connections;

    ConnectController(ForgeConnections connections) {
        this.connections = connections;
    }

    @GetMapping("/connect")
    String choose(Model model) {
        Pages.requireAdmin();
        model.addAttribute("forges", FORGES);
        model.addAttribute("connections", connections.all());
        return "connect";
    }

    @PostMapping("/connect")
    String connect(@RequestParam(defaultValue = "") String provider, @RequestParam(defaultValue = "") String name, Model model) {
        Pages.requireAdmin();
        ForgeConnections.Connected created;
        try {
            created = connections.connect(provider, name.isBlank() ? defaultName(provider) : name);
        } catch (IllegalArgumentException bad) {
            model.addAttribute("error", bad.getMessage());
            return choose(model);
        }
        model.addAttribute("secret", created.secret());
        return show(created.id(), model);
    }

    @GetMapping("/connect/{id}")
    String show(@PathVariable long id, Model model) {
        Pages.requireAdmin();
        Connection connection = connections.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no connection " + id));
        List<Delivery> deliveries = connections.recentDeliveries(id, 5);
        model.addAttribute("connection", connection);
        model.addAttribute("guide", FORGES.stream().filter(f -> f.id().equals(connection.provider())).findFirst().orElseThrow());
        model.addAttribute("webhookUrl", ServletUriComponentsBuilder.fromCurrentContextPath().path(connection.webhookPath()).toUriString());
        model.addAttribute("deliveries", deliveries);
        model.addAttribute("steps", steps(deliveries));
        return "connected";
    }

    static List<Step> steps(List<Delivery> deliveries) {
        Delivery first = deliveries.isEmpty() ? null : deliveries.getLast();
        boolean processed = deliveries.stream().anyMatch(d -> d.status().equals("processed"));
        return List.of(
                new Step("Connection created", true, null),
                new Step("Webhook added in the forge, with the URL and secret above", first != null,
                        first == null ? "waiting for the forge's first delivery" : "a signed delivery arrived"),
                new Step("First delivery received", first != null,
                        first == null ? null : first.eventType() + (first.action() == null ? "" : " · " + first.action())),
                new Step("Activity recorded from a delivery", processed, processed ? "processed into the activity model" : null));
    }

    private static String defaultName(String provider) {
        return FORGES.stream().filter(f -> f.id().equals(provider)).map(ForgeGuide::title).findFirst().orElse(provider);
    }
}
