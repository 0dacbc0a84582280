-- Under RETAIN_EVENTS=kafka: how far the relay has published the activity_change outbox to the
-- topic customer-activity-changed (service-support OutboxRelay); the row is locked for a round, so
-- one replica relays at a time. Unused with the HTTP feed.
create table outbox_relay (
  topic    varchar(249) primary key,
  position bigint       not null
);
