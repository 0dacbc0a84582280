-- Customer profiles. The id is the external code (C001), trimmed and upper-cased on the way in.
create table customer (
  id          varchar(64) primary key,
  name        text        not null,
  created_at  timestamptz not null default now()
);
