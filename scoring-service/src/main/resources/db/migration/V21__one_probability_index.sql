-- Every rescoring with an active churn model rewrites each customer's churn_prediction row, and
-- each index costs an entry per rewritten row (issue 20: rescoring with a model within 1.2x of
-- without). The totalCount's probability range now reads V20's seek index on (-probability), the
-- same expression its pages use, so the older (probability desc) index has no reader left.
drop index churn_prediction_probability_idx;
