-- Re-importing a file must not add its refused rows again: an open quarantined row is keyed by its
-- entity and the SHA-256 (hex) of its raw line (for a line too long to keep, of the whole line).
-- Resolved rows do not count, so a row refused again after a re-submit is listed again.
alter table quarantine_row add column raw_hash text;
update quarantine_row set raw_hash = encode(sha256(convert_to(raw, 'UTF8')), 'hex');
-- open duplicates added before this rule: keep the oldest of each
delete from quarantine_row q using quarantine_row k
  where q.resolved_at is null and k.resolved_at is null
    and q.entity = k.entity and q.raw_hash = k.raw_hash and q.id > k.id;
alter table quarantine_row alter column raw_hash set not null;
create unique index quarantine_open_raw_idx on quarantine_row (entity, raw_hash)
  where resolved_at is null;
