package dev.forgeline.activity.internal;

import static dev.forgeline.schema.Tables.REPOSITORY;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

import dev.forgeline.activity.ForgeEvent;
import dev.forgeline.activity.Repositories;
import dev.forgeline.activity.RepositoryRef;
import dev.forgeline.schema.tables.records.RepositoryRecord;

@Repository
class RepositoryDirectory implements Repositories {

    private final DSLContext db;

    RepositoryDirectory(DSLContext db) {
        this.db = db;
    }

    @Override
    public Optional<RepositoryRef> find(long id) {
        return db.selectFrom(REPOSITORY).where(REPOSITORY.ID.eq(id)).fetchOptional(RepositoryDirectory::ref);
    }

    @Override
    public Optional<RepositoryRef> find(String provider, String forgeId) {
        return db.selectFrom(REPOSITORY).where(REPOSITORY.PROVIDER.eq(provider)).and(REPOSITORY.FORGE_ID.eq(forgeId))
                .fetchOptional(RepositoryDirectory::ref);
    }

    @Override
    public RepositoryRef register(long connectionId, ForgeEvent.Repo repo) {
        // Keyed like the webhook path (provider and forge id), so a later delivery finds this row and adds to it.
        insertIfAbsent(connectionId, repo);
        return find(repo.provider(), repo.forgeId()).orElseThrow();
    }

    /** The repository's row id, if a row exists for its provider and forge id. */
    Long idOf(ForgeEvent.Repo repo) {
        return db.select(REPOSITORY.ID).from(REPOSITORY)
                .where(REPOSITORY.PROVIDER.eq(repo.provider())).and(REPOSITORY.FORGE_ID.eq(repo.forgeId()))
                .fetchOne(REPOSITORY.ID);
    }

    /** Creates the repository's row unless one exists: the webhook path and registrations share this key. */
    void insertIfAbsent(long connectionId, ForgeEvent.Repo repo) {
        db.insertInto(REPOSITORY)
                .set(REPOSITORY.CONNECTION_ID, connectionId)
                .set(REPOSITORY.PROVIDER, repo.provider())
                .set(REPOSITORY.FORGE_ID, repo.forgeId())
                .set(REPOSITORY.FULL_NAME, repo.fullName())
                .set(REPOSITORY.DEFAULT_BRANCH, repo.defaultBranch())
                .set(REPOSITORY.WEB_URL, repo.webUrl())
                .set(REPOSITORY.FIRST_SEEN_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .onDuplicateKeyIgnore().execute();
    }

    @Override
    public List<RepositoryRef> ofConnections(Collection<Long> connectionIds) {
        if (connectionIds.isEmpty()) {
            return List.of();
        }
        return db.selectFrom(REPOSITORY).where(REPOSITORY.CONNECTION_ID.in(connectionIds)).orderBy(REPOSITORY.FULL_NAME)
                .fetch(RepositoryDirectory::ref);
    }

    private static RepositoryRef ref(RepositoryRecord r) {
        return new RepositoryRef(r.getId(), r.getConnectionId(), r.getProvider(), r.getFullName(), r.getDefaultBranch(), r.getWebUrl());
    }
}
