-- Compliance keeps its own copy of the facts its rules read, recorded from activity events as they happen.
-- changed_at > scored_at marks a repository whose teams need scoring again (coalesced by the scoring job).
create table compliance_repository (
  repository_id  bigint                   primary key,
  provider       varchar(20)              not null,
  full_name      varchar(300),
  default_branch varchar(200),
  web_url        varchar(500),
  changed_at     timestamp with time zone not null,
  scored_at      timestamp with time zone
);
create index compliance_repository_changed_idx on compliance_repository (changed_at);

-- first_ref: the branch a commit was first pushed to. Sizes stay null when the forge does not report them;
-- touches_docs: one of the files it touched is documentation (README*, CHANGELOG*, docs/, *.md, *.rst, *.adoc).
create table compliance_commit (
  repository_id  bigint                   not null,
  sha            varchar(64)              not null,
  author_name    varchar(200),
  author_email   varchar(320),
  author_login   varchar(200),
  authored_at    timestamp with time zone not null,
  message        varchar(2000),
  first_ref      varchar(300),
  additions      int,
  deletions      int,
  files_changed  int,
  touches_docs   boolean,
  primary key (repository_id, sha)
);
create index compliance_commit_time_idx on compliance_commit (repository_id, authored_at);

create table compliance_merge_request (
  repository_id  bigint                   not null,
  number         bigint                   not null,
  title          varchar(500),
  author         varchar(200),
  state          varchar(20)              not null,
  created_at     timestamp with time zone not null,
  updated_at     timestamp with time zone not null,
  merged_at      timestamp with time zone,
  merged_by      varchar(200),
  head_ref       varchar(300),
  base_ref       varchar(300),
  additions      int,
  deletions      int,
  primary key (repository_id, number)
);

-- Reviews, approvals and comments on merge requests: kind review, approved, comment.
create table compliance_review (
  repository_id  bigint                   not null,
  forge_id       varchar(200)             not null,
  number         bigint                   not null,
  reviewer       varchar(200),
  kind           varchar(40)              not null,
  at             timestamp with time zone not null,
  primary key (repository_id, forge_id)
);

create table compliance_issue (
  repository_id  bigint                   not null,
  number         bigint                   not null,
  title          varchar(500),
  author         varchar(200),
  created_at     timestamp with time zone not null,
  updated_at     timestamp with time zone not null,
  closed_at      timestamp with time zone,
  primary key (repository_id, number)
);

create table compliance_pipeline (
  repository_id  bigint                   not null,
  forge_id       varchar(100)             not null,
  ref            varchar(300),
  sha            varchar(64),
  status         varchar(40)              not null,
  created_at     timestamp with time zone not null,
  finished_at    timestamp with time zone,
  primary key (repository_id, forge_id)
);

-- Teacher-set weight of each rule in a course (organisation); a rule without a row weighs 1.
create table compliance_weight (
  organisation_id bigint                  not null,
  rule            varchar(3)              not null,
  weight          double precision        not null,
  primary key (organisation_id, rule)
);

-- The latest scores of each team: the rules with their evidence and the signals, as JSON, so a read is one row.
-- basis: the team's repositories and members when scored; when they change, the team is scored again.
create table compliance_team_score (
  team_id         bigint                   primary key,
  organisation_id bigint                   not null,
  basis           varchar(4000)            not null,
  period_from     timestamp with time zone not null,
  period_to       timestamp with time zone not null,
  computed_at     timestamp with time zone not null,
  rules           text                     not null,
  signals         text                     not null
);
create index compliance_team_score_org_idx on compliance_team_score (organisation_id);

-- Weekly snapshots for trend lines, kept 180 days (forgeline.compliance.snapshot-retention).
create table compliance_snapshot (
  team_id         bigint                   not null,
  week            date                     not null,
  organisation_id bigint                   not null,
  score           int,
  rules           varchar(1000)            not null,
  taken_at        timestamp with time zone not null,
  primary key (team_id, week)
);
create index compliance_snapshot_week_idx on compliance_snapshot (week);
