-- Churn classifier versions (DOMAIN.md §10.2): the fitted model and its out-of-time validation
-- report, kept as data; at most one is active, and only a validated one that beats the baselines
-- can be (checked by the service, which alone writes here).
create table churn_model (
  version          int              primary key,
  created_at       timestamptz      not null,
  horizon_days     int              not null,
  validated        boolean          not null,
  beats_baselines  boolean          not null,
  auc              double precision,
  active           boolean          not null default false,
  model            json             not null,
  report           json             not null
);
create unique index churn_model_one_active on churn_model (active) where active;

-- Each customer's latest prediction and the model version that made it; reads serve only rows of
-- the active version. features = the model's inputs, so drivers are derived exactly when read.
create table churn_prediction (
  customer_id          varchar(64) collate "C" primary key,
  model_version        int              not null references churn_model (version),
  as_of                date             not null,
  probability          double precision not null,
  clv                  double precision,
  expected_lost_value  double precision,
  features             double precision[] not null,
  computed_at          timestamptz      not null
);
create index churn_prediction_probability_idx on churn_prediction (probability desc, customer_id);
create index churn_prediction_lost_value_idx
  on churn_prediction (expected_lost_value desc nulls last, customer_id);
