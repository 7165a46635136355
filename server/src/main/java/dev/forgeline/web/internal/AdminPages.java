package dev.forgeline.web.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.forgeline.audit.AuditLog;
import dev.forgeline.ingest.ForgeConnections.Connection;
import dev.forgeline.ingest.ForgeConnections.Delivery;
import dev.forgeline.ingest.ForgeConnections;
import dev.forgeline.jobs.JobsOverview;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;
import dev.forgeline.platform.Paging;

/** The admin pages: connections and their deliveries, the job queue and dead letters, the audit log. */
@Controller
@Access(Rule.SITE_ADMIN)
class AdminPages {

    static final int PAGE = 50;

    /** A delivery as the table shows it: latency is received → processed. */
    record DeliveryRow(Delivery delivery, String connection, String latency) {
    }

    private final ForgeConnections connections;
    private final JobsOverview jobs;
    private final AuditLog audit;

    AdminPages(ForgeConnections connections, JobsOverview jobs, AuditLog audit) {
        this.connections = connections;
        this.jobs = jobs;
        this.audit = audit;
    }

    @GetMapping("/admin/connections")
    String connections(@RequestParam(required = false) Long connection, Model model) {
        Pages.requireAdmin();
        List<Connection> all = connections.all();
        Map<Long, String> names = all.stream().collect(Collectors.toMap(Connection::id, c -> c.name() + " (" + c.provider() + ")"));
        model.addAttribute("connections", all);
        model.addAttribute("selected", connection);
        model.addAttribute("deliveries", connections.recentDeliveries(connection, PAGE).stream()
                .map(d -> new DeliveryRow(d, names.getOrDefault(d.connectionId(), "#" + d.connectionId()), latency(d))).toList());
        model.addAttribute("perDay", connections.deliveriesPerDay(connection, 14));
        return "admin/connections";
    }

    @PostMapping("/admin/deliveries/{id}/reprocess")
    String reprocess(@PathVariable long id, RedirectAttributes redirect) {
        Pages.requireAdmin();
        redirect.addFlashAttribute("notice", connections.reprocess(id)
                ? "Delivery " + id + " is queued to be processed again." : "There is no delivery " + id + ".");
        return "redirect:/admin/connections";
    }

    @GetMapping("/admin/jobs")
    String jobs(@RequestParam(defaultValue = "0") int offset, Model model) {
        Pages.requireAdmin();
        Paging.check(PAGE, offset);
        model.addAttribute("recurring", jobs.recurring());
        model.addAttribute("queues", jobs.queues());
        model.addAttribute("dead", jobs.deadLetters(PAGE, offset));
        model.addAttribute("deadCount", jobs.deadLetterCount());
        model.addAttribute("offset", offset);
        model.addAttribute("page", PAGE);
        return "admin/jobs";
    }

    @PostMapping("/admin/dead-jobs/{id}/resurrect")
    String resurrect(@PathVariable long id, RedirectAttributes redirect) {
        Pages.requireAdmin();
        redirect.addFlashAttribute("notice", jobs.resurrect(id)
                ? "Dead job " + id + " is back on the queue." : "Dead job " + id + " was already resurrected or removed.");
        return "redirect:/admin/jobs";
    }

    @PostMapping("/admin/jobs/{name}/run")
    String runNow(@PathVariable String name, RedirectAttributes redirect) {
        Pages.requireAdmin();
        redirect.addFlashAttribute("notice", jobs.runNow(name)
                .map(reason -> "Not run: " + reason + ".").orElse("Recurring job " + name + " runs now."));
        return "redirect:/admin/jobs";
    }

    @GetMapping("/admin/audit")
    String audit(@RequestParam(required = false) String action, @RequestParam(required = false) String actor,
                 @RequestParam(defaultValue = "0") int offset, Model model) {
        Pages.requireAdmin();
        Paging.check(PAGE, offset);
        Function<String, String> blankToNull = s -> s == null || s.isBlank() ? null : s.strip();
        model.addAttribute("entries", audit.recent(blankToNull.apply(action), blankToNull.apply(actor), PAGE + 1, offset));
        model.addAttribute("action", action);
        model.addAttribute("actor", actor);
        model.addAttribute("offset", offset);
        model.addAttribute("page", PAGE);
        return "admin/audit";
    }

    static String latency(Delivery d) {
        if (d.processedAt() == null) {
            return null;
        }
        long millis = Duration.between(d.receivedAt(), d.processedAt()).toMillis();
        return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
