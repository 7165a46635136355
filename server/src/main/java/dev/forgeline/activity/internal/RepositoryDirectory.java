package dev.forgeline.activity.internal;

import static dev.forgeline.schema.Tables.REPOSITORY;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

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
