-- Warning seqs in commit order (docs/adr/0015-warning-seqs-in-commit-order.md). The HTTP warning
-- feed, the subscription and the Kafka relay read "seq > cursor" and move the cursor to the highest
-- seq they saw; with two rescoring batches at once a lower seq could commit after a higher one and
-- be stepped over. Every statement that inserts warnings first takes this transaction-scoped lock,
-- before any seq is drawn, and keeps it until commit: at most one open transaction holds seqs, and
-- they are above every committed one. A statement-level trigger, so no writer can forget it, and
-- one lock per statement (not per row).
create function warning_seq_in_commit_order() returns trigger
  language plpgsql as $$
begin
  -- 7015: this lock's key in the scoring database (customer-service's feed uses 4242 in its own)
  perform pg_advisory_xact_lock(7015);
  return null;
end
$$;

create trigger warning_seq_in_commit_order
  before insert on warning
  for each statement execute function warning_seq_in_commit_order();
