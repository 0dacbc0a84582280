-- Profiles are assigned to an industry or to a segment (kind/value tier, e.g. ENTERPRISE/KEY).
-- A segment assignment wins over an industry one; no row: 'default'.
alter table profile_assignment rename column industry to target;
alter table profile_assignment add column scope varchar(16) not null default 'INDUSTRY';
alter table profile_assignment drop constraint profile_assignment_pkey;
alter table profile_assignment add primary key (scope, target);
alter table profile_assignment add column assigned_at timestamptz not null default now();

-- Tier caps are per profile too; the seeded versions spell out DOMAIN.md's defaults.
update weight_profile
  set body = body || '{"noPurchaseCapDays":90,"npsCapBelow":30,"npsCapMinResponses":3}'::jsonb
  where not body ? 'noPurchaseCapDays';

-- History keeps the whole assessment, so Customer.loyalty(asOf) can serve any stored date, and
-- the breakdown columns, so tier trends can be grouped as they were then.
alter table assessment_history
  add column body       jsonb,
  add column kind       varchar(16),
  add column industry   varchar(64),
  add column value_tier varchar(16);
update assessment_history h
  set body = l.body, kind = l.kind, industry = l.industry, value_tier = l.value_tier
  from assessment_latest l
  where l.customer_id = h.customer_id and l.as_of = h.as_of;
-- tier trends read the newest row per customer at or before each period's end
create index assessment_history_as_of_idx on assessment_history (as_of, customer_id);
