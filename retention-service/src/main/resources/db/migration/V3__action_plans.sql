create table action_plan (
  id bigserial primary key,
  customer_id text not null,
  tier text not null,
  -- a risk factor code, or PLAYBOOK_<tier> when no factor maps to a measure
  problem_code text not null,
  problem_message text not null,
  source text not null check (source in ('WARNING', 'MANUAL')),
  warning_seq bigint,
  measures_en text not null,
  measures_zh text not null,
  department text not null,
  owner text,
  due_date date not null,
  effect_metric text not null,
  effect_comparator text not null,
  effect_target numeric not null,
  effect_within_days int not null,
  status text not null default 'PLANNED'
    check (status in ('PLANNED', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
  observed_value numeric,
  effect_met boolean,
  evaluated_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- one open plan per customer and problem: replays and re-scorings cannot duplicate
create unique index action_plan_one_open on action_plan (customer_id, problem_code)
  where status in ('PLANNED', 'IN_PROGRESS');
create index action_plan_by_customer on action_plan (customer_id, status, id);
create index action_plan_by_department on action_plan (department, status, due_date, id);
create index action_plan_by_status_due on action_plan (status, due_date, id);
create index action_plan_by_due on action_plan (due_date, id);
