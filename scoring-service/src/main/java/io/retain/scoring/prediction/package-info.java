/**
 * Prediction (DOMAIN.md §10): the churn classifier ({@code churn}), the purchase model ({@code
 * purchase}), and their fits as background jobs ({@link
 * io.retain.scoring.prediction.PredictionJobs}).
 */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.prediction;
