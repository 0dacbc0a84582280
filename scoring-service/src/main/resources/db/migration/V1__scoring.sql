-- Weight profiles are data: every version kept; every stored score names the version that made it.
create table weight_profile (
  name        varchar(64) not null,
  version     int         not null,
  body        jsonb       not null,
  created_at  timestamptz not null default now(),
  primary key (name, version)
);

-- Which profile scores which industry (no row: 'default').
create table profile_assignment (
  industry      varchar(64) primary key,
  profile_name  varchar(64) not null
);

-- The latest assessment per customer: what reads serve.
create table assessment_latest (
  customer_id      varchar(64) primary key,
  as_of            date        not null,
  score            numeric(5,1),
  tier             varchar(16) not null,
  risk_codes       text[]      not null,
  high_codes       text[]      not null,
  recency_days     int,
  frequency        int         not null,
  monetary         numeric(16,2) not null,
  rfm_r            smallint,
  rfm_f            smallint,
  rfm_m            smallint,
  rfm_segment      varchar(32),
  kind             varchar(16),
  industry         varchar(64),
  value_tier       varchar(16),
  profile_name     varchar(64) not null,
  profile_version  int         not null,
  body             jsonb       not null,
  inputs           jsonb       not null,
  computed_at      timestamptz not null
);
create index assessment_latest_tier_idx on assessment_latest (tier, customer_id);
create index assessment_latest_score_idx on assessment_latest (score, customer_id);
create index assessment_latest_risk_idx on assessment_latest using gin (risk_codes);
create index assessment_latest_segment_idx on assessment_latest (rfm_segment, customer_id);

-- Score history: one row per customer and asOf (re-scoring the same date replaces it).
create table assessment_history (
  customer_id      varchar(64) not null,
  as_of            date        not null,
  score            numeric(5,1),
  tier             varchar(16) not null,
  profile_name     varchar(64) not null,
  profile_version  int         not null,
  computed_at      timestamptz not null,
  primary key (customer_id, as_of)
);

-- Early warnings: a cursor feed for retention-service.
create table warning (
  seq           bigserial   primary key,
  customer_id   varchar(64) not null,
  as_of         date        not null,
  from_tier     varchar(16),
  to_tier       varchar(16) not null,
  score_before  numeric(5,1),
  score_after   numeric(5,1),
  reasons       text[]      not null,
  risk_factors  jsonb       not null,
  created_at    timestamptz not null default now()
);
create index warning_customer_idx on warning (customer_id, seq desc);

-- Where each feed consumer is; written in the same transaction as its effects.
create table feed_cursor (
  name      varchar(64) primary key,
  position  bigint      not null
);

insert into weight_profile (name, version, body) values
 ('default', 1, '{"weights":{"REPURCHASE":30,"STABILITY":20,"FREQUENCY":15,"NPS":25,"COMPLAINT":10},"frequencyTarget":12,"tenureTargetMonths":36,"windowMonths":12,"minPresentWeight":50,"diehardAt":90,"stableAt":75,"potentialChurnAt":60,"margin":0.3,"discountRate":0.10}'),
 ('industrial-equipment', 1, '{"weights":{"REPURCHASE":25,"STABILITY":20,"FREQUENCY":5,"NPS":25,"COMPLAINT":10,"TENURE":15},"frequencyTarget":12,"tenureTargetMonths":36,"windowMonths":12,"minPresentWeight":50,"diehardAt":90,"stableAt":75,"potentialChurnAt":60,"margin":0.3,"discountRate":0.10}');
insert into profile_assignment (industry, profile_name) values ('INDUSTRIAL_EQUIPMENT', 'industrial-equipment');
