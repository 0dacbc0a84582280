package io.retain.retention.campaign;

import java.time.OffsetDateTime;

/** A stored campaign with its member counts per group. */
public record Campaign(
    long id,
    CampaignDraft draft,
    CampaignStatus status,
    OffsetDateTime launchedAt,
    int treatmentCount,
    int holdoutCount,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** The id the holdout hash and the API use. */
  public String key() {
    return Long.toString(id);
  }
}
