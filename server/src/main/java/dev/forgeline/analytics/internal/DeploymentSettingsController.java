package dev.forgeline.analytics.internal;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.OrgRole;

/** Which environments and pipelines of a repository are production: set by the organisation's admins. */
@RestController
@Access(Rule.ORG_ADMIN)
class DeploymentSettingsController {

    record Settings(String productionEnvironments, String productionPipelines) {
    }

    private final ProductionEnvironments production;
    private final MetricsReader metrics;

    DeploymentSettingsController(ProductionEnvironments production, MetricsReader metrics) {
        this.production = production;
        this.metrics = metrics;
    }

    @PutMapping("/api/v1/orgs/{org}/repositories/{repository}/deployment-settings")
    Settings set(OrgAccess access, @PathVariable long repository, @RequestBody Settings settings) {
        if (!access.atLeast(OrgRole.ADMIN) || !metrics.organisationRepositories(access.organisation().id()).contains(repository)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such repository");
        }
        if (settings.productionEnvironments() == null || settings.productionEnvironments().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "productionEnvironments is required (a regular expression)");
        }
        check("productionEnvironments", settings.productionEnvironments());
        if (settings.productionPipelines() != null) {
            check("productionPipelines", settings.productionPipelines());
        }
        production.set(repository, settings.productionEnvironments(), settings.productionPipelines());
        return settings;
    }

    private static void check(String name, String regex) {
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " is not a regular expression: " + e.getDescription());
        }
        if (regex.length() > 300) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " is longer than 300 characters");
        }
    }
}
