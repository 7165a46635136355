-- Analytics keeps facts of its own, fed by ActivityRecorded, and daily aggregates derived from them.
-- An actor is a forge identity: 'github:octocat' (provider and login) or 'email:someone@example.com'.

-- One row per pull/merge request; deployed_at is derived from an_deployment and kept in step with it.
create table an_pull_request (
  repository_id     bigint                   not null,
  number            bigint                   not null,
  author            varchar(300),
  state             varchar(20)              not null,
  draft             boolean                  not null,
  snapshot_at       timestamp with time zone not null,
  created_at        timestamp with time zone not null,
  merged_at         timestamp with time zone,
  closed_at         timestamp with time zone,
  merged_by         varchar(300),
  merge_sha         varchar(64),
  head_ref          varchar(300),
  additions         int,
  deletions         int,
  first_commit_at   timestamp with time zone,
  first_response_at timestamp with time zone,
  first_review_at   timestamp with time zone,
  deployed_at       timestamp with time zone,
  constraint an_pull_request_pk primary key (repository_id, number)
);
create index an_pull_request_merged on an_pull_request (repository_id, merged_at);
create index an_pull_request_deployed on an_pull_request (repository_id, deployed_at);
create index an_pull_request_head on an_pull_request (repository_id, head_ref);
create index an_pull_request_open on an_pull_request (state, created_at);

-- Reviews and comments on pull requests: who answered first, and reviews given and received.
create table an_response (
  repository_id bigint                   not null,
  number        bigint                   not null,
  kind          varchar(10)              not null,
  forge_id      varchar(200)             not null,
  actor         varchar(300)             not null,
  pr_author     varchar(300),
  at            timestamp with time zone not null,
  constraint an_response_pk primary key (repository_id, kind, forge_id)
);
create index an_response_pr on an_response (repository_id, number, at);

-- The first review of each reviewer on each pull request: "PRs reviewed" counts it on that day.
create table an_pr_reviewer (
  repository_id bigint                   not null,
  number        bigint                   not null,
  reviewer      varchar(300)             not null,
  first_at      timestamp with time zone not null,
  constraint an_pr_reviewer_pk primary key (repository_id, number, reviewer)
);

create table an_commit (
  repository_id bigint                   not null,
  sha           varchar(64)              not null,
  actor         varchar(300)             not null,
  authored_at   timestamp with time zone not null,
  additions     int                      not null,
  deletions     int                      not null,
  constraint an_commit_pk primary key (repository_id, sha)
);

-- Which branch each commit was pushed to: a pull request's first commit is the earliest on its head branch.
create table an_branch_commit (
  repository_id bigint                   not null,
  branch        varchar(300)             not null,
  sha           varchar(64)              not null,
  authored_at   timestamp with time zone not null,
  constraint an_branch_commit_pk primary key (repository_id, branch, sha)
);

-- Deployments from deployment events (source 'deployment') and pipelines (source 'pipeline').
-- finished_at: the first success; production is decided by the repository's setting.
create table an_deployment (
  repository_id  bigint                   not null,
  source         varchar(20)              not null,
  forge_id       varchar(200)             not null,
  environment    varchar(300),
  sha            varchar(64),
  created_at     timestamp with time zone,
  finished_at    timestamp with time zone,
  production     boolean                  not null,
  incident_count int                      not null,
  constraint an_deployment_pk primary key (repository_id, source, forge_id)
);
create index an_deployment_finished on an_deployment (repository_id, production, finished_at);

-- Issues labelled as incidents; deployment_* is the deployment that caused it (latest success before it).
create table an_incident (
  repository_id          bigint                   not null,
  number                 bigint                   not null,
  created_at             timestamp with time zone not null,
  resolved_at            timestamp with time zone,
  snapshot_at            timestamp with time zone not null,
  is_incident            boolean                  not null,
  deployment_source      varchar(20),
  deployment_forge_id    varchar(200),
  deployment_finished_at timestamp with time zone,
  constraint an_incident_pk primary key (repository_id, number)
);
create index an_incident_created on an_incident (repository_id, created_at);

-- Which environments (and pipelines) of a repository are production; absent means the default pattern.
create table an_repository_setting (
  repository_id         bigint       not null primary key,
  production_pattern    varchar(300) not null,
  pipeline_pattern      varchar(300)
);

-- Daily aggregates, derived from the facts above only. Sums in seconds; averages are sum / count at read.
create table an_person_day (
  actor           varchar(300) not null,
  repository_id   bigint       not null,
  activity_day    date         not null,
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
  constraint an_person_day_pk primary key (actor, activity_day, repository_id)
);
create index an_person_day_repository on an_person_day (repository_id, activity_day);

create table an_repository_day (
  repository_id       bigint not null,
  activity_day        date   not null,
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
  constraint an_repository_day_pk primary key (repository_id, activity_day)
);

-- Weekly snapshots of every score, for trend lines. subject: 'person:<account>', 'team:<id>', 'org'.
create table an_score_snapshot (
  organisation_id       bigint           not null,
  subject               varchar(100)     not null,
  week                  date             not null,
  score                 double precision not null,
  merge_consistency     double precision not null,
  review_participation  double precision not null,
  merge_time_efficiency double precision not null,
  activity_stability    double precision not null,
  constraint an_score_snapshot_pk primary key (organisation_id, subject, week)
);

create table an_alert (
  id              bigint generated by default as identity primary key,
  organisation_id bigint                   not null,
  kind            varchar(40)              not null,
  subject         varchar(300)             not null,
  evidence        varchar(2000)            not null,
  opened_at       timestamp with time zone not null,
  resolved_at     timestamp with time zone
);
create index an_alert_org on an_alert (organisation_id, resolved_at);

-- Facts of one repository derive from each other (a merge and a deployment, an incident and a deployment):
-- events of one repository update them one at a time, by taking this row's lock first.
create table an_repository_lock (
  repository_id bigint not null primary key,
  events        bigint not null
);
