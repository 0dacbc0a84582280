-- Per-tier playbooks (DOMAIN.md §8; editable data).
create table playbook (
  tier         varchar(16) primary key,
  strategy_en  text        not null,
  strategy_zh  text        not null,
  departments  text[]      not null
);
insert into playbook values
 ('DIEHARD', 'Priority supply, new-product trials, executive visits; deepen the relationship', '优先供货、新品试用、高层拜访，深化合作关系', '{KEY_ACCOUNTS}'),
 ('STABLE', 'Cross-sell, personalised benefits, more frequent contact', '交叉销售、个性化权益、提高联系频率', '{SALES,MARKETING}'),
 ('POTENTIAL_CHURN', 'Proactive care, fix the pain point, targeted coupons, service tutorials', '主动关怀、解决痛点、定向优惠券、服务教程', '{MARKETING,CUSTOMER_SERVICE}'),
 ('HIGH_RISK', '1-on-1 interview by a customer-success manager, find the cause, win-back plan', '客户成功经理一对一访谈，查明原因，制定挽回方案', '{CUSTOMER_SUCCESS}');

-- Risk factor → measure (DOMAIN.md §8; editable data). The expected effect is measurable.
create table measure (
  risk_code    varchar(32) primary key,
  text_en      text        not null,
  text_zh      text        not null,
  department   varchar(32) not null,
  metric       varchar(32),
  comparator   varchar(4),
  target       numeric,
  within_days  int
);
insert into measure values
 ('SLOW_SERVICE_RESPONSE', 'VIP service channel; respond within 48 h', '开通 VIP 服务通道，48 小时内响应', 'CUSTOMER_SERVICE', 'COMPLAINT_RATE', '<', 5, 30),
 ('NO_RECENT_PURCHASE', 'Returning-customer 20%-off coupon and a new-product trial invitation', '老客户 8 折券与新品试用邀请', 'MARKETING', 'WIN_BACK', '>=', 20, 30),
 ('HIGH_COMPLAINT_RATE', '1-on-1 call by a customer-success manager', '客户成功经理一对一电话沟通', 'CUSTOMER_SUCCESS', 'COMPLAINT_RATE', '<', 5, 30),
 ('LOW_NPS', '1-on-1 call by a customer-success manager', '客户成功经理一对一电话沟通', 'CUSTOMER_SUCCESS', 'NPS', '>=', 30, 90),
 ('FREQUENCY_DROP', 'Targeted coupon and a usage tutorial', '定向优惠券与使用教程', 'MARKETING', 'ORDERS', '>=', 1, 60),
 ('UNRESOLVED_TICKETS', 'Escalate the open tickets', '升级处理未解决工单', 'CUSTOMER_SERVICE', 'OPEN_TICKETS', '<=', 0, 7),
 ('ACCOUNT_MANAGER_LEFT', 'Assign an account manager and schedule an introduction call', '指派客户经理并安排介绍电话', 'SALES', null, null, null, null);

-- Action plans (seed 表4). One open plan per customer and problem.
create table action_plan (
  id               bigserial   primary key,
  customer_id      varchar(64) not null,
  tier             varchar(16) not null,
  problem_code     varchar(32) not null,
  problem_message  text        not null,
  measures         text        not null,
  department       varchar(32) not null,
  owner            varchar(128),
  due_date         date        not null,
  metric           varchar(32),
  comparator       varchar(4),
  target           numeric,
  within_days      int,
  status           varchar(16) not null default 'PLANNED'
                   check (status in ('PLANNED', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
  source           varchar(16) not null default 'WARNING',
  warning_seq      bigint,
  observed_value   numeric,
  met              boolean,
  evaluated_at     timestamptz,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create unique index action_plan_one_open_idx on action_plan (customer_id, problem_code)
  where status in ('PLANNED', 'IN_PROGRESS');
create index action_plan_customer_idx on action_plan (customer_id, id desc);
create index action_plan_department_idx on action_plan (department, status, due_date);

create table feed_cursor (
  name      varchar(64) primary key,
  position  bigint      not null
);
