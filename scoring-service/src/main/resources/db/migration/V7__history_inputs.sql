-- A history row stores what made its assessment (the inputs, in V6's positional array, and the
-- score at least 30 days older that SCORE_DECLINE compared with) instead of the whole document:
-- the document is derived again on read by the engine from these and the immutable profile
-- version named in the row. Writing the document (about 1.1 kB of JSON per customer per run,
-- against 230 bytes of inputs) was the largest part of what a rescoring wrote. Rows written
-- before keep their document and are read from it.
alter table assessment_history
  add column inputs      json,
  add column prior_score numeric(5,1);

-- the latest rows' inputs move to their history row (the latest row is read through to it)
update assessment_history h
  set inputs = l.inputs
  from assessment_latest l
  where l.customer_id = h.customer_id and l.as_of = h.as_of;

alter table assessment_latest drop column inputs;
