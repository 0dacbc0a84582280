-- A prediction's features as one bytea of big-endian float8s (float8send's form) instead of a
-- double precision[]: a full rescoring with an active model rewrites every row, and a text array
-- cost 26 Double.toString calls per customer in scoring and 26 float parses in PostgreSQL; the
-- batch's rows now go as one binary parameter (issue 20, docs/benchmarks/prediction.md). Nothing
-- in SQL reads inside the features: only drivers, decoded in Java.
alter table churn_prediction add column features_bin bytea;
update churn_prediction p set features_bin = (
  select coalesce(string_agg(float8send(x), ''::bytea order by i), ''::bytea)
  from unnest(p.features) with ordinality as u(x, i));
alter table churn_prediction drop column features;
alter table churn_prediction rename column features_bin to features;
alter table churn_prediction alter column features set not null;
