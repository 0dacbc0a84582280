-- No index on the latest score. A first rescoring inserted a million entries into it in score
-- order, that is at random places (a third of assessment_latest's insert cost in isolation:
-- 14.0 s for 1M rows with it, 8.3 s without), and in every later rescoring a score that moved (a
-- day's recency moves most) made the row's update a new version in every index of the table. Without
-- it, an update that keeps the tier and risk codes stays on its page (HOT) and touches no index.
-- A score range (customersByLoyalty minScore/maxScore) is read in customer-id order through the
-- primary key, filtered as it goes, as every list pages by id anyway.
drop index if exists assessment_latest_score_idx;
