-- The bare aggregate statement: every activity aggregate of DOMAIN.md §3 computed in PostgreSQL
-- alone, over the customers of a CTE "ids" prepended by the caller; $2 = asOf, $3 = window months.
-- The reference customer-service's reads are checked against (ActivityAggregatesTest) and the
-- floor of the full-rescoring benchmark (deploy/bench/rescoring-bench). The service itself reads
-- each customer's counted orders as two arrays and aggregates them in Java (OrderAggregates).
p as (select $2::date as as_of, (($2::date + 1)::timestamp at time zone 'UTC') as end_ts, $3::int as w),
vo as (
  select o.customer_id, (o.placed_at at time zone 'UTC')::date as d, o.amount
  from customer_order o join ids on ids.id = o.customer_id, p
  where o.status = 'COMPLETED' and not o.test and o.placed_at < p.end_ts),
wo as (
  select vo.*, months_between(vo.d, p.as_of) as bucket from vo, p
  where months_between(vo.d, p.as_of) < p.w),
med as (
  select customer_id, percentile_cont(0.5) within group (order by amount) as median, count(*) as n
  from wo group by customer_id),
oagg as (
  select wo.customer_id, count(*) as n, sum(wo.amount) as s, sum(wo.amount * wo.amount) as ss,
    count(*) filter (where not (med.n >= 5 and wo.amount > 10 * med.median)) as sn,
    coalesce(sum(wo.amount) filter (where not (med.n >= 5 and wo.amount > 10 * med.median)), 0) as ssum,
    coalesce(sum(wo.amount * wo.amount) filter (where not (med.n >= 5 and wo.amount > 10 * med.median)), 0) as sss,
    array_agg(wo.bucket) as buckets
  from wo join med using (customer_id) group by wo.customer_id),
allo as (
  select customer_id, count(*) as n, sum(amount) as s, min(d) as first_d, max(d) as last_d,
    count(distinct d) as days
  from vo group by customer_id),
tk as (
  select t.customer_id,
    count(*) filter (where months_between((t.opened_at at time zone 'UTC')::date, p.as_of) < p.w) as n,
    count(*) filter (where t.complaint and months_between((t.opened_at at time zone 'UTC')::date, p.as_of) < p.w) as complaints,
    avg(extract(epoch from (least(coalesce(t.first_response_at, p.end_ts), p.end_ts) - t.opened_at)) / 3600.0)
      filter (where months_between((t.opened_at at time zone 'UTC')::date, p.as_of) < p.w) as resp,
    count(*) filter (where (t.resolved_at is null or t.resolved_at >= p.end_ts)
                       and p.end_ts - t.opened_at >= interval '7 days') as open7
  from service_ticket t join ids on ids.id = t.customer_id, p
  where t.opened_at < p.end_ts group by t.customer_id),
sv as (
  select s.customer_id,
    count(*) filter (where s.nps >= 9) as prom,
    count(*) filter (where s.nps between 7 and 8) as pas,
    count(*) filter (where s.nps <= 6) as det,
    avg(s.csat) as csat, count(s.csat) as csat_n
  from survey_response s join ids on ids.id = s.customer_id, p
  where s.answered_at < p.end_ts
    and months_between((s.answered_at at time zone 'UTC')::date, p.as_of) < p.w
  group by s.customer_id)
select c.id, c.since, c.kind, c.industry, c.value_tier, c.region, c.status,
  (select max(a.changed_at) from account_manager_change a
    where a.customer_id = c.id and a.changed_at <= p.as_of) as am_changed,
  coalesce(oagg.n, 0) as n, oagg.buckets, coalesce(oagg.s, 0) as s, coalesce(oagg.ss, 0) as ss,
  coalesce(oagg.sn, 0) as sn, coalesce(oagg.ssum, 0) as ssum, coalesce(oagg.sss, 0) as sss,
  allo.last_d, allo.first_d, coalesce(allo.n, 0) as all_n, coalesce(allo.s, 0) as all_s,
  coalesce(tk.complaints, 0) as complaints, coalesce(tk.n, 0) as tickets, tk.resp,
  coalesce(tk.open7, 0) as open7, coalesce(sv.prom, 0) as prom, coalesce(sv.pas, 0) as pas,
  coalesce(sv.det, 0) as det, sv.csat, coalesce(sv.csat_n, 0) as csat_n,
  coalesce(allo.days, 0) as days
from customer c join ids on ids.id = c.id cross join p
  left join oagg on oagg.customer_id = c.id left join allo on allo.customer_id = c.id
  left join tk on tk.customer_id = c.id left join sv on sv.customer_id = c.id
order by c.id
