/** Retention campaigns: drafts, launch with a deterministic holdout, and measured effect. */
@org.jspecify.annotations.NullMarked
package io.retain.retention.campaign;
