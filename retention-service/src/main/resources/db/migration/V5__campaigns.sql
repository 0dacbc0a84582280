-- Campaigns (DOMAIN.md §8): a target resolved once at launch into members, each assigned to
-- TREATMENT or HOLDOUT deterministically (Holdout), so results compare stable groups.
create table campaign (
  id bigserial primary key,
  name text not null,
  objective text not null,
  target_tiers text[] not null default '{}',
  target_risk_codes text[] not null default '{}',
  target_industries text[] not null default '{}',
  target_kinds text[] not null default '{}',
  target_value_tiers text[] not null default '{}',
  target_rfm_segments text[] not null default '{}',
  offer text not null,
  channel text not null,
  start_date date not null,
  end_date date not null check (end_date >= start_date),
  holdout_share numeric(5, 4) not null check (holdout_share >= 0 and holdout_share <= 0.5),
  status text not null default 'DRAFT' check (status in ('DRAFT', 'LAUNCHED')),
  launched_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index campaign_by_status on campaign (status, id);

create table campaign_member (
  campaign_id bigint not null references campaign (id),
  customer_id text not null,
  assignment text not null check (assignment in ('TREATMENT', 'HOLDOUT')),
  primary key (campaign_id, customer_id)
);
-- Customer.campaigns
create index campaign_member_by_customer on campaign_member (customer_id, campaign_id);
