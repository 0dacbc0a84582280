/**
 * scoring-service: Owns metrics, weight profiles, loyalty scores, tiers, risk factors, RFM, value,
 * score history and early warnings.
 */
@org.jspecify.annotations.NullMarked
package io.retain.scoring;
