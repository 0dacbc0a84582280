-- An assessment's document is stored once, in its history row; the latest row keeps the columns
-- reads filter and sort on and the inputs, and its document is read through (customer_id, as_of)
-- from history. Every rescoring wrote the same ~1.1 kB document twice per customer (latest and
-- history): a third of the bytes a full rescoring writes. A narrower latest row also leaves room
-- on its page for an update that keeps its indexed columns to stay there (HOT).
-- HistoryDetailRetention never drops the document of a customer's latest date.
alter table assessment_latest drop column body;
