-- The purchase model (DOMAIN.md §10.1): one row per fitted version with its parameters and fit
-- statistics, and per customer the summary it was fitted on, so that forecasts for any horizon are
-- computed from the stored version (every forecast names the version that made it).
create table purchase_model (
  version             serial primary key,
  as_of               date not null,
  fitted_at           timestamptz not null,
  -- BG/NBD, weeks
  r                   double precision not null,
  alpha               double precision not null,
  a                   double precision not null,
  b                   double precision not null,
  bg_log_likelihood   double precision not null,
  customers           bigint not null,
  -- Gamma-Gamma, over repeat buyers
  p                   double precision not null,
  q                   double precision not null,
  gamma               double precision not null,
  gg_log_likelihood   double precision not null,
  repeat_buyers       bigint not null,
  evaluations         integer not null,
  fit_millis          bigint not null
);

-- Only the newest version's rows are kept (a fit replaces them in its transaction).
create table purchase_prediction (
  customer_id        varchar(64) collate "C" primary key,
  model_version      integer not null references purchase_model (version),
  repeat_purchases   integer not null,
  recency_days       integer not null,
  age_days           integer not null,
  mean_repeat_spend  double precision,
  p_alive            double precision not null
);
