-- Playbooks are data so ADMINs can edit them; seeded with DOMAIN.md §8 defaults.
create table tier_playbook (
  tier text primary key check (tier in ('DIEHARD', 'STABLE', 'POTENTIAL_CHURN', 'HIGH_RISK')),
  strategy_en text not null,
  strategy_zh text not null,
  departments text[] not null check (cardinality(departments) > 0),
  effect_metric text not null,
  effect_comparator text not null,
  effect_target numeric not null,
  effect_within_days int not null check (effect_within_days > 0),
  updated_at timestamptz not null default now()
);

create table factor_measure (
  risk_code text primary key,
  measure_en text not null,
  measure_zh text not null,
  department text not null,
  effect_metric text not null,
  effect_comparator text not null,
  effect_target numeric not null,
  effect_within_days int not null check (effect_within_days > 0),
  updated_at timestamptz not null default now()
);

insert into tier_playbook values
 ('DIEHARD', 'Priority supply, new-product trials, executive visits, deepen the relationship',
  '优先供货、新品试用、高层拜访，深化合作关系', '{KEY_ACCOUNTS}', 'ORDERS', 'GTE', 1, 90, now()),
 ('STABLE', 'Cross-sell, personalised benefits, more frequent contact',
  '交叉销售、个性化权益、提高联系频率', '{SALES,MARKETING}', 'ORDERS', 'GTE', 1, 90, now()),
 ('POTENTIAL_CHURN', 'Proactive care, fix the pain point, targeted coupons, service tutorials',
  '主动关怀、解决痛点、定向优惠券、服务使用教程', '{MARKETING,CUSTOMER_SERVICE}', 'ORDERS', 'GTE', 1, 30, now()),
 ('HIGH_RISK', '1-on-1 interview by a customer-success manager, find the cause, win-back plan',
  '客户成功经理一对一访谈，查明原因，制定挽回方案', '{CUSTOMER_SUCCESS}', 'WIN_BACK', 'GTE', 1, 30, now());

insert into factor_measure values
 ('SLOW_SERVICE_RESPONSE', 'VIP service channel, respond within 48 h', '开通VIP服务通道，48小时内响应',
  'CUSTOMER_SERVICE', 'COMPLAINT_RATE', 'LT', 5, 30, now()),
 ('NO_RECENT_PURCHASE', 'Returning-customer 20%-off coupon and new-product trial invitation',
  '老客户回购八折券及新品试用邀请', 'MARKETING', 'WIN_BACK', 'GTE', 1, 30, now()),
 ('HIGH_COMPLAINT_RATE', '1-on-1 call by a customer-success manager', '客户成功经理一对一电话沟通',
  'CUSTOMER_SUCCESS', 'COMPLAINT_RATE', 'LT', 5, 30, now()),
 ('LOW_NPS', '1-on-1 call by a customer-success manager', '客户成功经理一对一电话沟通',
  'CUSTOMER_SUCCESS', 'NPS', 'GTE', 30, 90, now()),
 ('FREQUENCY_DROP', 'Targeted coupon and usage tutorial', '定向优惠券及使用教程',
  'MARKETING', 'ORDERS_PER_MONTH', 'GTE', 1, 60, now()),
 ('UNRESOLVED_TICKETS', 'Escalate the open tickets', '升级处理未解决工单',
  'CUSTOMER_SERVICE', 'UNRESOLVED_TICKETS', 'LTE', 0, 7, now()),
 ('ACCOUNT_MANAGER_LEFT', 'Assign an account manager and hold an introduction call', '指派客户经理并进行介绍通话',
  'SALES', 'ORDERS', 'GTE', 1, 60, now());
