-- TRUNCATE fires no row or delete triggers: emptying customer_order empties the digests with it,
-- or they would still count the orders it removed.
create function order_digest_truncated() returns trigger
  language plpgsql as $$
begin
  truncate order_digest;
  return null;
end $$;

create trigger order_digest_truncate after truncate on customer_order
  for each statement execute function order_digest_truncated();
