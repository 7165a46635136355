-- Rate-limit token buckets shared by every web process on PostgreSQL (Bucket4j's state, opaque bytes).
-- The embedded database runs one process and keeps its buckets in memory; the table stays empty there.
create table rate_limit_bucket (
  id         varchar(200) not null primary key,
  state      bytea,
  expires_at bigint
);
create index rate_limit_bucket_expires_idx on rate_limit_bucket (expires_at);
