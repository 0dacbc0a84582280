-- Each customer's counted orders (completed, not a test) packed into one value, kept current by
-- statement triggers on customer_order: what the activity aggregates read instead of the orders
-- themselves. A full rescoring read every customer's orders through the (customer_id, placed_at)
-- index, a heap visit per order (20M at 1M customers); it now reads one short row per customer.
-- 12 bytes per order, big-endian: the UTC date as days since 1970-01-01 (int4), the amount in cents
-- (int8). Not in any order. A customer without a counted order has an empty value or no row.
create table order_digest (
  customer_id  varchar(64) primary key,
  orders       bytea       not null
);
comment on table order_digest is
  'Counted orders per customer, maintained by triggers on customer_order (see V5)';

-- One order's 12 bytes (OrderAggregates.ofDigest reads them).
create function order_digest_entry(placed_at timestamptz, amount numeric) returns bytea
  language sql immutable parallel safe
  as $$ select int4send(((placed_at at time zone 'UTC')::date - date '1970-01-01'))
            || int8send((amount * 100)::bigint) $$;

create function order_digest_refresh(ids text[]) returns void
  language plpgsql as $$
begin
  -- The digests are locked (created if absent) before the orders are read, in id order: a
  -- concurrent writer of the same customer's orders holds its lock until it commits, and the
  -- read below, a new statement under READ COMMITTED, then sees its orders. Read first and written
  -- after, the later of two writers would overwrite the other's order.
  insert into order_digest (customer_id, orders)
    select id, '' from unnest(ids) as x(id) order by id
    on conflict (customer_id) do nothing;
  perform 1 from order_digest where customer_id = any (ids) order by customer_id for update;
  update order_digest d set orders = coalesce(a.orders, '')
  from unnest(ids) as x(id) left join lateral (
    select string_agg(order_digest_entry(o.placed_at, o.amount), ''::bytea) as orders
    from customer_order o
    where o.customer_id = x.id and o.status = 'COMPLETED' and not o.test) a on true
  where d.customer_id = x.id and d.orders is distinct from coalesce(a.orders, '');
end $$;

-- One statement trigger per event (PostgreSQL allows transition tables only on single-event
-- triggers): a COPY of 20,000 orders refreshes its customers once, not once per row.
create function order_digest_changed() returns trigger
  language plpgsql as $$
begin
  perform order_digest_refresh(array(select distinct customer_id from changed));
  return null;
end $$;

create function order_digest_updated() returns trigger
  language plpgsql as $$
begin
  perform order_digest_refresh(array(
    select customer_id from before_rows union select customer_id from after_rows));
  return null;
end $$;

create trigger order_digest_insert after insert on customer_order
  referencing new table as changed for each statement execute function order_digest_changed();
create trigger order_digest_delete after delete on customer_order
  referencing old table as changed for each statement execute function order_digest_changed();
create trigger order_digest_update after update on customer_order
  referencing old table as before_rows new table as after_rows
  for each statement execute function order_digest_updated();

-- TRUNCATE fires no row or delete trigger: emptying customer_order empties the digests with it,
-- or they would still count the orders it removed.
create function order_digest_truncated() returns trigger
  language plpgsql as $$
begin
  truncate order_digest;
  return null;
end $$;

create trigger order_digest_truncate after truncate on customer_order
  for each statement execute function order_digest_truncated();

insert into order_digest (customer_id, orders)
  select customer_id, string_agg(order_digest_entry(placed_at, amount), ''::bytea)
  from customer_order
  where status = 'COMPLETED' and not test
  group by customer_id;
