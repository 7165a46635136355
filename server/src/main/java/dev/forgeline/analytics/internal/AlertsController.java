package dev.forgeline.analytics.internal;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;
import dev.forgeline.analytics.Alert;
import dev.forgeline.analytics.Metrics;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.platform.Paging;

/** Alerts of an organisation: managers and above see all; a developer sees those about themselves. */
@RestController
@Access(Rule.ORG_MEMBER)
class AlertsController {

    private final Metrics metrics;

    AlertsController(Metrics metrics) {
        this.metrics = metrics;
    }

    @GetMapping("/api/v1/orgs/{org}/alerts")
    List<Alert> alerts(OrgAccess access, @RequestParam(defaultValue = "open") String status,
                       @RequestParam(defaultValue = "50") int limit, @RequestParam(defaultValue = "0") int offset) {
        Paging.check(limit, offset);
        if (!status.equals("open") && !status.equals("all")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status must be open or all");
        }
        List<Alert> alerts = metrics.alerts(access.organisation().id(), status.equals("all"), limit, offset);
        return alerts.stream().filter(a -> a.readableBy(access)).toList();
    }
}
