-- Model fits as jobs (ADR 0020): churn training and the purchase-model fit read every customer at
-- up to 12 dates, minutes at 1M customers, longer than the gateway waits. Each runs in the
-- background with its progress stored; at most one of each kind is queued or running across every
-- replica (the unique partial index below: the insert of a second one conflicts).
create table prediction_job (
  id              bigserial   primary key,
  kind            varchar(32) not null,
  -- the input as given (JSON), for the record
  input           text        not null,
  status          varchar(16) not null,
  -- progress: observation dates read (churn), phases done (purchase model)
  steps_done      integer     not null default 0,
  steps           integer     not null,
  -- the model version it stored
  result_version  integer,
  error_code      varchar(64),
  error           text,
  requested_by    varchar(128),
  created_at      timestamptz not null,
  started_at      timestamptz,
  finished_at     timestamptz,
  heartbeat_at    timestamptz not null
);
create unique index prediction_job_one_active_per_kind on prediction_job (kind)
  where status in ('QUEUED', 'RUNNING');
create index prediction_job_recent_idx on prediction_job (id desc);
