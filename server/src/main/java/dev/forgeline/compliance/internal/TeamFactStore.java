package dev.forgeline.compliance.internal;

import static dev.forgeline.schema.Tables.COMPLIANCE_COMMIT;
import static dev.forgeline.schema.Tables.COMPLIANCE_ISSUE;
import static dev.forgeline.schema.Tables.COMPLIANCE_MERGE_REQUEST;
import static dev.forgeline.schema.Tables.COMPLIANCE_PIPELINE;
import static dev.forgeline.schema.Tables.COMPLIANCE_REPOSITORY;
import static dev.forgeline.schema.Tables.COMPLIANCE_REVIEW;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** Reads compliance's facts for a set of repositories and a period, and which repositories changed since they were scored. */
@Repository
class TeamFactStore {

    private final DSLContext db;

    TeamFactStore(DSLContext db) {
        this.db = db;
    }

    TeamFacts load(Collection<Long> repositoryIds, Instant from, Instant to) {
        if (repositoryIds.isEmpty()) {
            return new TeamFacts(Map.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        }
        OffsetDateTime since = from.atOffset(ZoneOffset.UTC);
        OffsetDateTime until = to.atOffset(ZoneOffset.UTC);
        Map<Long, TeamFacts.Repository> repositories = new LinkedHashMap<>();
        db.selectFrom(COMPLIANCE_REPOSITORY).where(COMPLIANCE_REPOSITORY.REPOSITORY_ID.in(repositoryIds))
                .forEach(r -> repositories.put(r.getRepositoryId(), new TeamFacts.Repository(r.getRepositoryId(), r.getProvider(),
                        r.getFullName(), r.getDefaultBranch(), r.getWebUrl())));
        List<TeamFacts.Commit> commits = db.selectFrom(COMPLIANCE_COMMIT)
                .where(COMPLIANCE_COMMIT.REPOSITORY_ID.in(repositoryIds))
                .and(COMPLIANCE_COMMIT.AUTHORED_AT.between(since, until))
                .fetch(r -> new TeamFacts.Commit(r.getRepositoryId(), r.getSha(), r.getAuthorName(), r.getAuthorEmail(),
                        r.getAuthorLogin(), r.getAuthoredAt().toInstant(), r.getMessage(), r.getFirstRef(), r.getAdditions(),
                        r.getDeletions(), r.getFilesChanged(), r.getTouchesDocs()));
        List<TeamFacts.MergeRequest> mergeRequests = db.selectFrom(COMPLIANCE_MERGE_REQUEST)
                .where(COMPLIANCE_MERGE_REQUEST.REPOSITORY_ID.in(repositoryIds))
                .and(COMPLIANCE_MERGE_REQUEST.CREATED_AT.between(since, until).or(COMPLIANCE_MERGE_REQUEST.MERGED_AT.between(since, until)))
                .fetch(r -> new TeamFacts.MergeRequest(r.getRepositoryId(), r.getNumber(), r.getTitle(), r.getAuthor(), r.getState(),
                        r.getCreatedAt().toInstant(), instant(r.getMergedAt()), r.getMergedBy(), r.getHeadRef(), r.getBaseRef(),
                        r.getAdditions(), r.getDeletions()));
        List<TeamFacts.Review> reviews = db.selectFrom(COMPLIANCE_REVIEW)
                .where(COMPLIANCE_REVIEW.REPOSITORY_ID.in(repositoryIds))
                .and(COMPLIANCE_REVIEW.AT.between(since, until))
                .fetch(r -> new TeamFacts.Review(r.getRepositoryId(), r.getNumber(), r.getReviewer(), r.getKind(), r.getAt().toInstant()));
        List<TeamFacts.Issue> issues = db.selectFrom(COMPLIANCE_ISSUE)
                .where(COMPLIANCE_ISSUE.REPOSITORY_ID.in(repositoryIds))
                .and(COMPLIANCE_ISSUE.CREATED_AT.between(since, until))
                .fetch(r -> new TeamFacts.Issue(r.getRepositoryId(), r.getNumber(), r.getTitle(), r.getAuthor(),
                        r.getCreatedAt().toInstant(), instant(r.getClosedAt())));
        List<TeamFacts.Pipeline> pipelines = db.selectFrom(COMPLIANCE_PIPELINE)
                .where(COMPLIANCE_PIPELINE.REPOSITORY_ID.in(repositoryIds))
                .and(COMPLIANCE_PIPELINE.CREATED_AT.between(since, until))
                .fetch(r -> new TeamFacts.Pipeline(r.getRepositoryId(), r.getForgeId(), r.getRef(), r.getSha(), r.getStatus(),
                        r.getCreatedAt().toInstant(), instant(r.getFinishedAt())));
        return new TeamFacts(repositories, commits, mergeRequests, reviews, issues, pipelines);
    }

    /** Repositories with facts newer than their last scoring. */
    Set<Long> changed() {
        return Set.copyOf(db.select(COMPLIANCE_REPOSITORY.REPOSITORY_ID).from(COMPLIANCE_REPOSITORY)
                .where(COMPLIANCE_REPOSITORY.SCORED_AT.isNull().or(COMPLIANCE_REPOSITORY.CHANGED_AT.gt(COMPLIANCE_REPOSITORY.SCORED_AT)))
                .fetch(COMPLIANCE_REPOSITORY.REPOSITORY_ID));
    }

    /** Marks the repositories scored as of when the scoring began, so that what arrived meanwhile is scored next time. */
    void scored(Collection<Long> repositoryIds, Instant began) {
        if (!repositoryIds.isEmpty()) {
            db.update(COMPLIANCE_REPOSITORY).set(COMPLIANCE_REPOSITORY.SCORED_AT, began.atOffset(ZoneOffset.UTC))
                    .where(COMPLIANCE_REPOSITORY.REPOSITORY_ID.in(repositoryIds)).execute();
        }
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
