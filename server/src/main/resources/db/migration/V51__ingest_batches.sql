-- Processing in batches per repository. The accept path notes which repository a delivery is about (the forge's
-- repository or project id, read while the body is checked), so that a worker can take the waiting deliveries of
-- one repository together: one transaction, one guard, one write of the aggregates for all of them.
alter table webhook_event add column repository_key varchar(100);
create index webhook_event_repository_idx on webhook_event (connection_id, repository_key, status, id);

-- One row per repository being processed: a worker holds it for the length of its batch, before it writes
-- anything, so two batches of the same repository run one after the other instead of deadlocking on its rows.
create table ingest_repository_guard (
  connection_id  bigint       not null,
  repository_key varchar(100) not null,
  batches        bigint       not null,
  primary key (connection_id, repository_key)
);
