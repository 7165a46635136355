package dev.forgeline.audit.internal;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.forgeline.audit.internal.AuditEvents.AuditEntry;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Access(Access.Rule.SITE_ADMIN)
@Tag(name = "Admin: audit log")
class AuditController {

    private final AuditEvents events;

    AuditController(AuditEvents events) {
        this.events = events;
    }

    record AuditPage(List<AuditEntry> items, int limit, int offset) {
    }

    @GetMapping("/api/v1/admin/audit")
    @Operation(summary = "Admin and security actions, newest first")
    AuditPage audit(@RequestParam(required = false) String action, @RequestParam(required = false) String actor,
                    @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset) {
        Paging.check(limit, offset);
        return new AuditPage(events.list(action, actor, limit, offset), limit, offset);
    }
}
