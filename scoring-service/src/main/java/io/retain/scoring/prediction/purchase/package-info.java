/** The purchase model (BG/NBD + Gamma-Gamma): pure math for fitting and per-customer forecasts. */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.prediction.purchase;
