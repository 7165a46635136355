package dev.forgeline.identity.internal;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.OrgAccess;
import dev.forgeline.identity.internal.GitlabImportStore.Import;
import dev.forgeline.platform.Access;
import dev.forgeline.platform.Access.Rule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * GitLab group imports: an organisation's admins import a group through one of the organisation's GitLab connections,
 * a low-priority job applies it, and {@code gitlab-group-sync} runs it again on a schedule.
 */
@RestController
@Access(Rule.ORG_ADMIN)
@RequestMapping("/api/v1/orgs/{org}/imports")
@Tag(name = "Organisations")
class GitlabImportController {

    private final GitlabImportStore imports;
    private final GitlabGroupImport importer;
    private final Audit audit;

    GitlabImportController(GitlabImportStore imports, GitlabGroupImport importer, Audit audit) {
        this.imports = imports;
        this.importer = importer;
        this.audit = audit;
    }

    record NewGitlabImport(Long connectionId, String group) {
    }

    record ImportView(long id, String kind, long connectionId, String group, String groupId, String groupPath, String status,
                      OffsetDateTime requestedAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, int teamsCreated,
                      int teamsUpdated, int repositoriesCreated, int repositoriesAssigned, int peopleCreated, int membersAdded,
                      int membersRemoved, String error) {

        static ImportView of(Import i) {
            var c = i.counts();
            return new ImportView(i.id(), "gitlab", i.connectionId(), i.group(), i.groupId(), i.groupPath(), i.status(),
                    i.requestedAt(), i.startedAt(), i.finishedAt(), c.teamsCreated(), c.teamsUpdated(), c.repositoriesCreated(),
                    c.repositoriesAssigned(), c.peopleCreated(), c.membersAdded(), c.membersRemoved(), i.error());
        }
    }

    @PostMapping("/gitlab")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Transactional
    @Operation(summary = "Import a GitLab group: its subgroups become teams with their projects and members; importing it again converges")
    ImportView importGroup(OrgAccess access, @RequestBody(required = false) NewGitlabImport request) {
        if (request == null || request.connectionId() == null) {
            throw OrganisationsController.bad("give connectionId (a gitlab connection of the organisation) and group (its full path or id)");
        }
        String group = request.group() == null ? "" : request.group().strip().replaceAll("^/+|/+$", "");
        if (group.isEmpty() || group.length() > 300) {
            throw OrganisationsController.bad("group must be the GitLab group's full path (course/2026) or its numeric id");
        }
        long organisationId = access.organisation().id();
        importer.usableConnection(organisationId, request.connectionId());
        long id = imports.request(organisationId, request.connectionId(), group, access.caller().accountId());
        importer.queue(id);
        audit.record("gitlab-import.requested", "organisation", access.organisation().slug(),
                "group " + group + " through connection " + request.connectionId());
        return ImportView.of(imports.find(id).orElseThrow());
    }

    @GetMapping
    @Operation(summary = "The organisation's imports with the outcome of their last run")
    List<ImportView> list(OrgAccess access) {
        return imports.of(access.organisation().id()).stream().map(ImportView::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One import: its status, what its last run created or changed, or why it failed")
    ImportView get(OrgAccess access, @PathVariable long id) {
        return imports.find(id).filter(i -> i.organisationId() == access.organisation().id()).map(ImportView::of)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no import " + id));
    }
}
