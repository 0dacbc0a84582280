/**
 * The churn classifier (DOMAIN.md §10.2): features at an observation date, labels, out-of-time
 * validation, regularised logistic regression, its report, stored versions and predictions.
 */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.prediction.churn;
