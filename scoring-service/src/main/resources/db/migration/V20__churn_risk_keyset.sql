-- customersByChurnRisk pages by keyset (issue 20): the cursor holds the last row's sort key and id,
-- and the next page seeks with the row comparison (key, customer_id) > (cursor key, cursor id).
-- A row comparison runs one direction over every column, but the lists are key descending and id
-- ascending, so each sort's key is stored here negated (ascending) for an index the seek can use:
-- probability descending = -probability ascending; expected lost value descending with unknown
-- (null) last = -expected_lost_value ascending with null as NaN, which PostgreSQL orders after
-- every number and treats as equal to itself (a row comparison with a null would be null).
create index churn_prediction_probability_seek_idx
  on churn_prediction ((-probability), customer_id);
create index churn_prediction_lost_value_seek_idx
  on churn_prediction ((coalesce(-expected_lost_value, 'NaN'::float8)), customer_id);
-- nothing else reads by expected lost value; churn_prediction_probability_idx stays for the
-- totalCount's probability range
drop index churn_prediction_lost_value_idx;
