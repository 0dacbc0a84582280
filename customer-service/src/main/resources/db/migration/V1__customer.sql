-- Customer profiles. The id is the external code (C001), trimmed and upper-cased on the way in.
create table customer (
  id                          varchar(64) primary key,
  name                        text        not null,
  kind                        varchar(16) not null check (kind in ('INDIVIDUAL', 'ENTERPRISE')),
  industry                    varchar(64) not null,
  size                        varchar(32),
  age_band                    varchar(16),
  income_band                 varchar(16),
  region                      varchar(64),
  since                       date        not null,
  value_tier                  varchar(16) not null check (value_tier in ('KEY', 'MAJOR', 'ORDINARY', 'SMALL')),
  account_manager             varchar(128),
  account_manager_changed_at  date,
  status                      varchar(16) not null default 'ACTIVE' check (status in ('ACTIVE', 'CHURNED')),
  -- personal data: masked on the way out unless the caller may read PII; never logged
  contact_name                text,
  phone                       text,
  email                       text,
  updated_at                  timestamptz not null default now()
);
create index customer_filter_idx on customer (kind, industry, value_tier, region, status);
create index customer_name_idx on customer (lower(name) text_pattern_ops);

-- Orders. Cancelled, refunded and test orders are kept but never count in metrics.
create table customer_order (
  id           varchar(64)   primary key,
  customer_id  varchar(64)   not null references customer (id),
  placed_at    timestamptz   not null,
  amount       numeric(16,2) not null check (amount >= 0),
  currency     char(3)       not null default 'CNY',
  channel      varchar(32),
  status       varchar(16)   not null check (status in ('COMPLETED', 'CANCELLED', 'REFUNDED')),
  test         boolean       not null default false
);
create index customer_order_customer_placed_idx on customer_order (customer_id, placed_at desc);

create table service_ticket (
  id                 varchar(64) primary key,
  customer_id        varchar(64) not null references customer (id),
  opened_at          timestamptz not null,
  first_response_at  timestamptz,
  resolved_at        timestamptz,
  category           varchar(64),
  complaint          boolean     not null default false,
  severity           varchar(16)
);
create index service_ticket_customer_opened_idx on service_ticket (customer_id, opened_at desc);

create table survey_response (
  id             varchar(128) primary key,
  customer_id    varchar(64)  not null references customer (id),
  answered_at    timestamptz  not null,
  nps            smallint     not null check (nps between 0 and 10),
  csat           smallint     check (csat between 1 and 5),
  comment        text,
  would_mention  boolean
);
create index survey_response_customer_answered_idx on survey_response (customer_id, answered_at desc);

create table churn_record (
  customer_id  varchar(64) primary key references customer (id),
  churned_at   date        not null,
  type         varchar(16) not null check (type in ('VOLUNTARY', 'INVOLUNTARY')),
  cause_class  varchar(16) not null check (cause_class in ('NATURAL', 'COMPETITIVE', 'FAULT', 'OTHER')),
  reasons      text[]      not null default '{}',
  won_back_at  date
);
create index churn_record_churned_idx on churn_record (churned_at);

-- Activity change feed: appended in the same transaction as the change, under an advisory lock so
-- sequence order is commit order and a reader never skips a late-committing lower seq.
create table activity_change (
  seq          bigserial   primary key,
  customer_id  varchar(64) not null,
  changed_at   timestamptz not null default now()
);

create table import_batch (
  id           uuid        primary key,
  entity       varchar(16) not null,
  rows_in      bigint      not null,
  accepted     bigint      not null,
  quarantined  bigint      not null,
  created_at   timestamptz not null default now()
);

-- Rows an import refused: kept with where and why, until corrected and re-submitted.
create table quarantine_row (
  id           bigserial   primary key,
  batch_id     uuid        not null,
  entity       varchar(16) not null,
  row_number   bigint      not null,
  column_name  text,
  reason       text        not null,
  raw          text        not null,
  resolved_at  timestamptz,
  created_at   timestamptz not null default now()
);
create index quarantine_open_idx on quarantine_row (entity, id) where resolved_at is null;

-- ChronoUnit.MONTHS.between(a, b) for a <= b: whole months from a to b (an event's bucket).
create function months_between(a date, b date) returns int
  language sql immutable parallel safe
  as $$ select ((extract(year from b) * 12 + extract(month from b))
              - (extract(year from a) * 12 + extract(month from a))
              - case when extract(day from b) < extract(day from a) then 1 else 0 end)::int $$;
