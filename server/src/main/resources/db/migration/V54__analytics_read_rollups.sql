-- Each merged pull request's cycle-time spans and each deployed one's lead time, in seconds, as Contributions.spans
-- defines them, kept with the row by the write path. A read takes medians and sums of them in the database over
-- the window's rows, where it used to read every row of the window into the process and work them out there.
alter table an_pull_request add column coding_seconds bigint;
alter table an_pull_request add column pickup_seconds bigint;
alter table an_pull_request add column review_seconds bigint;
alter table an_pull_request add column deploy_seconds bigint;
alter table an_pull_request add column cycle_seconds bigint;
alter table an_pull_request add column merge_seconds bigint;
alter table an_pull_request add column lead_seconds bigint;

-- A person's own pull requests are read by author and merge time.
create index an_pull_request_author_merged on an_pull_request (author, merged_at);

-- The daily aggregates summed per week (week: its Monday), kept by the same writes: a read sums a window's whole
-- weeks from these and only the days before and after them from the daily rows, a seventh of the rows for a long one.
create table an_person_week (
  actor           varchar(300) not null,
  repository_id   bigint       not null,
  week            date         not null,
  prs_opened      int          not null default 0,
  prs_merged      int          not null default 0,
  merge_seconds   bigint       not null default 0,
  prs_reviewed    int          not null default 0,
  reviews_given   int          not null default 0,
  reviews_received int         not null default 0,
  comments        int          not null default 0,
  commits         int          not null default 0,
  additions       bigint       not null default 0,
  deletions       bigint       not null default 0,
  constraint an_person_week_pk primary key (actor, week, repository_id)
);

create table an_repository_week (
  repository_id       bigint not null,
  week                date   not null,
  prs_opened          int    not null default 0,
  prs_merged          int    not null default 0,
  prs_closed          int    not null default 0,
  merge_seconds       bigint not null default 0,
  size_lines          bigint not null default 0,
  coding_seconds      bigint not null default 0,
  coding_count        int    not null default 0,
  pickup_seconds      bigint not null default 0,
  pickup_count        int    not null default 0,
  review_seconds      bigint not null default 0,
  review_count        int    not null default 0,
  deploy_seconds      bigint not null default 0,
  deploy_count        int    not null default 0,
  cycle_seconds       bigint not null default 0,
  reviewed_by_others  int    not null default 0,
  self_merged_unreviewed int not null default 0,
  reviews             int    not null default 0,
  commits             int    not null default 0,
  deployments         int    not null default 0,
  failed_deployments  int    not null default 0,
  prs_reviewed        int    not null default 0,
  additions           bigint not null default 0,
  deletions           bigint not null default 0,
  comments            int    not null default 0,
  constraint an_repository_week_pk primary key (repository_id, week)
);

-- A full recompute asked for, to be run before the process takes traffic: a migration that adds derived values
-- asks for one, since their definitions (and the analytics time zone) live in the code, not in SQL.
create table an_recompute_request (
  reason       varchar(200)             not null primary key,
  requested_at timestamp with time zone not null
);
insert into an_recompute_request (reason, requested_at) values ('pull request spans and weekly rollups (V54)', current_timestamp);
