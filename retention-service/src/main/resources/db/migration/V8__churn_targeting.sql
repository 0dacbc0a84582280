-- Issue 20: campaigns and playbook rules can target a minimum churn probability (scoring's active
-- churn model). ADR 0013.

-- a campaign's audience may require a minimum churn probability; the model version it was selected
-- with is kept at launch, so the audience can be explained later
alter table campaign
  add column target_min_churn_probability numeric(4, 3)
    check (target_min_churn_probability between 0 and 1),
  add column churn_model_version int;

-- a playbook rule (tier playbook or risk measure) may open its action only when the customer's
-- churn probability reaches a minimum; without a prediction the rule's own default applies
alter table tier_playbook
  add column min_churn_probability numeric(4, 3) check (min_churn_probability between 0 and 1),
  add column without_churn_prediction text not null default 'OPEN'
    check (without_churn_prediction in ('OPEN', 'SKIP'));
alter table factor_measure
  add column min_churn_probability numeric(4, 3) check (min_churn_probability between 0 and 1),
  add column without_churn_prediction text not null default 'OPEN'
    check (without_churn_prediction in ('OPEN', 'SKIP'));
