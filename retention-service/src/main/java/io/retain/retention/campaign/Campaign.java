package io.retain.retention.campaign;

import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;

/**
 * A stored campaign with its member counts per group and, once launched with a churn minimum, the
 * churn model version its audience was selected with.
 */
public record Campaign(
    long id,
    CampaignDraft draft,
    CampaignStatus status,
    @Nullable OffsetDateTime launchedAt,
    @Nullable Integer churnModelVersion,
    int treatmentCount,
    int holdoutCount,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** The id the holdout hash and the API use. */
  public String key() {
    return Long.toString(id);
  }
}
