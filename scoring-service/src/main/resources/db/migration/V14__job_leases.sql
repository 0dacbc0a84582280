-- One owner per periodic job across replicas (docs/adr/0006-job-leases-jobs.md): a replica runs a
-- job while it holds the job's lease, renews it before expires_at, and any replica takes it over
-- once it has expired (its holder died). Times are PostgreSQL's clock, never a replica's.
create table job_lease (
  name        text        primary key,
  owner       text        not null,
  acquired_at timestamptz not null,
  expires_at  timestamptz not null
);
