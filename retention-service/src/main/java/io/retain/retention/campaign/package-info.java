/** Campaigns: targeting, deterministic holdout, launch and their measured effect. */
@org.jspecify.annotations.NullMarked
package io.retain.retention.campaign;
