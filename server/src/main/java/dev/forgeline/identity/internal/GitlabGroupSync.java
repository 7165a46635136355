package dev.forgeline.identity.internal;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.forgeline.jobs.RecurringJob;

/** GitPulse's membership sync: every imported GitLab group is imported again, so teams follow their subgroups. */
@Component
class GitlabGroupSync implements RecurringJob {

    private final GitlabImportStore imports;
    private final GitlabGroupImport importer;

    GitlabGroupSync(GitlabImportStore imports, GitlabGroupImport importer) {
        this.imports = imports;
        this.importer = importer;
    }

    @Override
    public String name() {
        return "gitlab-group-sync";
    }

    @Override
    public String description() {
        return "Imports every imported GitLab group again: new subgroups, projects and members, renames, departures";
    }

    @Override
    public String defaultSchedule() {
        return "2h";
    }

    @Override
    @Transactional
    public void run() {
        imports.allIds().forEach(importer::queue);
    }
}
