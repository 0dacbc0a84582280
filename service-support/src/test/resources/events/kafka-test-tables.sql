create table kafka_offset (
  consumer    varchar(64)  not null,
  topic       varchar(249) not null,
  partition   int          not null,
  next_offset bigint       not null,
  last_seq    bigint       not null,
  primary key (consumer, topic, partition)
);
create table outbox_relay (topic varchar(249) primary key, position bigint not null);
create table outbox (seq bigserial primary key, customer_id text not null, amount int not null);
create table effect (consumer text not null, customer_id text not null, seq bigint not null, amount int not null);
create table total (customer_id text primary key, amount bigint not null);
