-- The seek indexes of V20 hold only predictions with probability >= 0.05, the floor
-- ChurnModelRepository.INDEXED_FROM names: a full rescoring with an active model rewrites every
-- row, and on the demo data ~70% of customers are under 0.05 (82% under 0.1), so most rewritten
-- rows now cost one index entry (the key) instead of three (issue 20: rescoring with a model
-- within 1.2x of without; docs/benchmarks/prediction.md (f)). Lists with a floor under 0.05 read
-- without an index (correct, slower on large populations).
drop index churn_prediction_probability_seek_idx;
drop index churn_prediction_lost_value_seek_idx;
create index churn_prediction_probability_seek_idx
  on churn_prediction ((-probability), customer_id) where probability >= 0.05;
create index churn_prediction_lost_value_seek_idx
  on churn_prediction ((coalesce(-expected_lost_value, 'NaN'::float8)), customer_id)
  where probability >= 0.05;
