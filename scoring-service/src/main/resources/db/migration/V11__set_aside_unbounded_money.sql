-- A sum of money has no upper bound: one customer whose spend passed numeric(16,2) failed every
-- batch it was in, and with it the change feed for everyone. Relaxing a numeric's precision is a
-- catalogue change (no table rewrite).
alter table assessment_latest alter column monetary type numeric;

-- Customers that could not be scored (an engine exception, a write error, bad aggregates), set
-- aside with the reason so that everyone else in their batch is scored and the feed moves on. A
-- row goes when the customer is next scored; a new failure counts another attempt.
create table scoring_set_aside (
  customer_id    varchar(64) collate "C" primary key,
  reason         text        not null,
  first_seen     timestamptz not null,
  last_seen      timestamptz not null,
  attempts       int         not null,
  -- the change feed's position of the batch it failed in; null when it failed in a rescoring
  feed_position  bigint
);

-- Full rescorings run as jobs: status and progress survive the request (and the gateway's 10 s
-- limit); at most one job is queued or running across every replica (the unique index below).
create table rescoring_job (
  id            bigserial   primary key,
  as_of         date        not null,
  profile_name  varchar(64),
  status        varchar(16) not null,
  scored        bigint      not null default 0,
  total         bigint,
  requested_by  varchar(128),
  created_at    timestamptz not null,
  started_at    timestamptz,
  finished_at   timestamptz,
  heartbeat_at  timestamptz not null,
  error         text
);
create unique index rescoring_job_one_active on rescoring_job ((true))
  where status in ('QUEUED', 'RUNNING');
create index rescoring_job_recent_idx on rescoring_job (created_at desc);
