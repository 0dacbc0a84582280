/**
 * scoring-service: Owns metrics, weight profiles, loyalty scores, tiers, risk factors, RFM, value,
 * score history and early warnings.
 */
package io.retain.scoring;
