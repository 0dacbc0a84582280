-- Under RETAIN_EVENTS=kafka (unused with the HTTP feed): the plan opener's position per partition
-- of loyalty-warning-raised, written in the same transaction as the plans each warning opened: the
-- offset to read next and the highest warning seq applied (a copy the relay published twice has a
-- seq at or below it).
create table kafka_offset (
  consumer    varchar(64)  not null,
  topic       varchar(249) not null,
  partition   int          not null,
  next_offset bigint       not null,
  last_seq    bigint       not null,
  primary key (consumer, topic, partition)
);
