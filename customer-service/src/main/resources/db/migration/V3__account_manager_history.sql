-- Account manager history: each change (or leaving: to_manager null) of a customer's manager, so
-- "last change on or before asOf" holds for any asOf, not only the latest change.
create table account_manager_change (
  id            bigserial    primary key,
  customer_id   varchar(64)  not null references customer (id),
  changed_at    date         not null,
  from_manager  varchar(128),
  to_manager    varchar(128)
);
create index account_manager_change_customer_idx on account_manager_change (customer_id, changed_at desc);
insert into account_manager_change (customer_id, changed_at, to_manager)
  select id, account_manager_changed_at, account_manager from customer
  where account_manager_changed_at is not null;
