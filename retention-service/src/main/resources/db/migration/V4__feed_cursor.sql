-- Position in a remote feed; advanced in the same transaction as the effects of each event.
create table feed_cursor (
  feed text primary key,
  last_seq bigint not null
);
insert into feed_cursor values ('scoring.warningFeed', 0);
