-- Churn statistics count customers by relationship start (active-at-date, monthly cohorts).
create index customer_since_idx on customer (since);
