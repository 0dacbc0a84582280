-- Under RETAIN_EVENTS=kafka (unused with the HTTP feeds).
-- The rescoring consumer's position per partition of customer-activity-changed, written in the
-- same transaction as the scores it produced: the offset to read next and the highest outbox seq
-- applied (a copy the relay published twice has a seq at or below it).
create table kafka_offset (
  consumer    varchar(64)  not null,
  topic       varchar(249) not null,
  partition   int          not null,
  next_offset bigint       not null,
  last_seq    bigint       not null,
  primary key (consumer, topic, partition)
);

-- How far the relay has published the warning table to loyalty-warning-raised.
create table outbox_relay (
  topic    varchar(249) primary key,
  position bigint       not null
);
