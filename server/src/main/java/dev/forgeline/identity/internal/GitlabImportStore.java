package dev.forgeline.identity.internal;

import static dev.forgeline.schema.Tables.GITLAB_IMPORT;
import static dev.forgeline.schema.Tables.TEAM;
import static dev.forgeline.schema.Tables.TEAM_GITLAB_GROUP;
import static dev.forgeline.schema.Tables.TEAM_MEMBER;
import static dev.forgeline.schema.Tables.TEAM_REPOSITORY;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

import dev.forgeline.schema.tables.records.GitlabImportRecord;

/** GitLab group imports with their last outcome, the subgroup each imported team stands for, and what imports put in teams. */
@Repository
class GitlabImportStore {

    /** What one run changed. Members are team memberships; people are accounts the run created. */
    record Counts(int teamsCreated, int teamsUpdated, int repositoriesCreated, int repositoriesAssigned, int peopleCreated,
                  int membersAdded, int membersRemoved) {

        boolean any() {
            return teamsCreated + teamsUpdated + repositoriesCreated + repositoriesAssigned + peopleCreated + membersAdded
                    + membersRemoved > 0;
        }

        @Override
        public String toString() {
            return "teams " + teamsCreated + " created, " + teamsUpdated + " updated; repositories " + repositoriesCreated
                    + " created, " + repositoriesAssigned + " assigned; people " + peopleCreated + " created; team members "
                    + membersAdded + " added, " + membersRemoved + " removed";
        }
    }

    record Import(long id, long organisationId, long connectionId, String group, String groupId, String groupPath, String status,
                  OffsetDateTime requestedAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, Counts counts, String error) {
    }

    private final DSLContext db;

    GitlabImportStore(DSLContext db) {
        this.db = db;
    }

    /** The import of this group through this connection: the same row when it was imported before, else a new one. */
    long request(long organisationId, long connectionId, String group, long requestedBy) {
        var same = GITLAB_IMPORT.ORGANISATION_ID.eq(organisationId).and(GITLAB_IMPORT.CONNECTION_ID.eq(connectionId))
                .and(GITLAB_IMPORT.GROUP_REF.eq(group));
        db.insertInto(GITLAB_IMPORT)
                .set(GITLAB_IMPORT.ORGANISATION_ID, organisationId)
                .set(GITLAB_IMPORT.CONNECTION_ID, connectionId)
                .set(GITLAB_IMPORT.GROUP_REF, group)
                .set(GITLAB_IMPORT.STATUS, "queued")
                .set(GITLAB_IMPORT.REQUESTED_BY, requestedBy)
                .set(GITLAB_IMPORT.REQUESTED_AT, now())
                .onDuplicateKeyIgnore().execute();
        long id = db.select(GITLAB_IMPORT.ID).from(GITLAB_IMPORT).where(same).fetchSingle(GITLAB_IMPORT.ID);
        db.update(GITLAB_IMPORT).set(GITLAB_IMPORT.REQUESTED_BY, requestedBy).set(GITLAB_IMPORT.REQUESTED_AT, now())
                .set(GITLAB_IMPORT.STATUS, "queued")
                .where(GITLAB_IMPORT.ID.eq(id)).and(GITLAB_IMPORT.STATUS.ne("running")).execute();
        return id;
    }

    Optional<Import> find(long id) {
        return db.selectFrom(GITLAB_IMPORT).where(GITLAB_IMPORT.ID.eq(id)).fetchOptional(GitlabImportStore::view);
    }

    List<Import> of(long organisationId) {
        return db.selectFrom(GITLAB_IMPORT).where(GITLAB_IMPORT.ORGANISATION_ID.eq(organisationId)).orderBy(GITLAB_IMPORT.ID)
                .fetch(GitlabImportStore::view);
    }

    List<Long> allIds() {
        return db.select(GITLAB_IMPORT.ID).from(GITLAB_IMPORT).orderBy(GITLAB_IMPORT.ID).fetch(GITLAB_IMPORT.ID);
    }

    void running(long id) {
        db.update(GITLAB_IMPORT).set(GITLAB_IMPORT.STATUS, "running").set(GITLAB_IMPORT.STARTED_AT, now())
                .setNull(GITLAB_IMPORT.FINISHED_AT).where(GITLAB_IMPORT.ID.eq(id)).execute();
    }

    void succeeded(long id, String groupId, String groupPath, Counts counts) {
        db.update(GITLAB_IMPORT)
                .set(GITLAB_IMPORT.STATUS, "succeeded")
                .set(GITLAB_IMPORT.GROUP_ID, groupId)
                .set(GITLAB_IMPORT.GROUP_PATH, groupPath)
                .set(GITLAB_IMPORT.FINISHED_AT, now())
                .set(GITLAB_IMPORT.TEAMS_CREATED, counts.teamsCreated())
                .set(GITLAB_IMPORT.TEAMS_UPDATED, counts.teamsUpdated())
                .set(GITLAB_IMPORT.REPOSITORIES_CREATED, counts.repositoriesCreated())
                .set(GITLAB_IMPORT.REPOSITORIES_ASSIGNED, counts.repositoriesAssigned())
                .set(GITLAB_IMPORT.PEOPLE_CREATED, counts.peopleCreated())
                .set(GITLAB_IMPORT.MEMBERS_ADDED, counts.membersAdded())
                .set(GITLAB_IMPORT.MEMBERS_REMOVED, counts.membersRemoved())
                .setNull(GITLAB_IMPORT.ERROR)
                .where(GITLAB_IMPORT.ID.eq(id)).execute();
    }

    /** A failed run changed nothing: its counts are zero, whatever an earlier run did. */
    void failed(long id, String error) {
        db.update(GITLAB_IMPORT)
                .set(GITLAB_IMPORT.STATUS, "failed")
                .set(GITLAB_IMPORT.FINISHED_AT, now())
                .set(GITLAB_IMPORT.ERROR, error.length() > 1000 ? error.substring(0, 1000) : error)
                .set(GITLAB_IMPORT.TEAMS_CREATED, 0).set(GITLAB_IMPORT.TEAMS_UPDATED, 0)
                .set(GITLAB_IMPORT.REPOSITORIES_CREATED, 0).set(GITLAB_IMPORT.REPOSITORIES_ASSIGNED, 0)
                .set(GITLAB_IMPORT.PEOPLE_CREATED, 0).set(GITLAB_IMPORT.MEMBERS_ADDED, 0).set(GITLAB_IMPORT.MEMBERS_REMOVED, 0)
                .where(GITLAB_IMPORT.ID.eq(id)).execute();
    }

    record LinkedTeam(long teamId, String slug, String name, String fullPath) {
    }

    Optional<LinkedTeam> teamOfGroup(long organisationId, long connectionId, String groupId) {
        return db.select(TEAM.ID, TEAM.SLUG, TEAM.NAME, TEAM_GITLAB_GROUP.FULL_PATH).from(TEAM_GITLAB_GROUP)
                .join(TEAM).on(TEAM.ID.eq(TEAM_GITLAB_GROUP.TEAM_ID))
                .where(TEAM_GITLAB_GROUP.ORGANISATION_ID.eq(organisationId)).and(TEAM_GITLAB_GROUP.CONNECTION_ID.eq(connectionId))
                .and(TEAM_GITLAB_GROUP.GROUP_ID.eq(groupId))
                .fetchOptional(r -> new LinkedTeam(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    boolean linked(long teamId) {
        return db.fetchExists(TEAM_GITLAB_GROUP, TEAM_GITLAB_GROUP.TEAM_ID.eq(teamId));
    }

    void link(long teamId, long organisationId, long connectionId, String groupId, String fullPath) {
        int changed = db.update(TEAM_GITLAB_GROUP).set(TEAM_GITLAB_GROUP.FULL_PATH, fullPath)
                .where(TEAM_GITLAB_GROUP.TEAM_ID.eq(teamId)).execute();
        if (changed == 0) {
            db.insertInto(TEAM_GITLAB_GROUP)
                    .set(TEAM_GITLAB_GROUP.TEAM_ID, teamId)
                    .set(TEAM_GITLAB_GROUP.ORGANISATION_ID, organisationId)
                    .set(TEAM_GITLAB_GROUP.CONNECTION_ID, connectionId)
                    .set(TEAM_GITLAB_GROUP.GROUP_ID, groupId)
                    .set(TEAM_GITLAB_GROUP.FULL_PATH, fullPath)
                    .execute();
        }
    }

    void renameTeam(long teamId, String slug, String name) {
        db.update(TEAM).set(TEAM.SLUG, slug).set(TEAM.NAME, name).where(TEAM.ID.eq(teamId)).execute();
    }

    /** @return true when the account was not in the team yet */
    boolean addImportedMember(long teamId, long accountId) {
        return db.insertInto(TEAM_MEMBER).set(TEAM_MEMBER.TEAM_ID, teamId).set(TEAM_MEMBER.ACCOUNT_ID, accountId)
                .set(TEAM_MEMBER.IMPORTED, true).onDuplicateKeyIgnore().execute() == 1;
    }

    /** Takes out the members an import added who are no longer in the group; those added by hand stay. */
    int removeImportedMembers(long teamId, Set<Long> keep) {
        return db.deleteFrom(TEAM_MEMBER).where(TEAM_MEMBER.TEAM_ID.eq(teamId)).and(TEAM_MEMBER.IMPORTED.isTrue())
                .and(keep.isEmpty() ? DSL.trueCondition() : TEAM_MEMBER.ACCOUNT_ID.notIn(keep)).execute();
    }

    boolean addImportedRepository(long teamId, long repositoryId) {
        return db.insertInto(TEAM_REPOSITORY).set(TEAM_REPOSITORY.TEAM_ID, teamId).set(TEAM_REPOSITORY.REPOSITORY_ID, repositoryId)
                .set(TEAM_REPOSITORY.IMPORTED, true).onDuplicateKeyIgnore().execute() == 1;
    }

    void removeImportedRepositories(long teamId, Set<Long> keep) {
        db.deleteFrom(TEAM_REPOSITORY).where(TEAM_REPOSITORY.TEAM_ID.eq(teamId)).and(TEAM_REPOSITORY.IMPORTED.isTrue())
                .and(keep.isEmpty() ? DSL.trueCondition() : TEAM_REPOSITORY.REPOSITORY_ID.notIn(keep)).execute();
    }

    private static Import view(GitlabImportRecord r) {
        return new Import(r.getId(), r.getOrganisationId(), r.getConnectionId(), r.getGroupRef(), r.getGroupId(), r.getGroupPath(),
                r.getStatus(), r.getRequestedAt(), r.getStartedAt(), r.getFinishedAt(),
                new Counts(r.getTeamsCreated(), r.getTeamsUpdated(), r.getRepositoriesCreated(), r.getRepositoriesAssigned(),
                        r.getPeopleCreated(), r.getMembersAdded(), r.getMembersRemoved()),
                r.getError());
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
