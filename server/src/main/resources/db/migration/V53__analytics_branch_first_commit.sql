-- A pull request's first commit is the earliest authored on its head branch, and that earliest time is all that was
-- ever read of an_branch_commit's row per branch and commit. One row per branch keeps it, and a batch of pushes
-- updates one row per branch instead of inserting one per commit.
create table an_branch (
  repository_id   bigint                   not null,
  branch          varchar(300)             not null,
  first_commit_at timestamp with time zone not null,
  constraint an_branch_pk primary key (repository_id, branch)
);

insert into an_branch (repository_id, branch, first_commit_at)
  select repository_id, branch, min(authored_at) from an_branch_commit group by repository_id, branch;

drop table an_branch_commit;
