package io.retain.retention.campaign;

/** DRAFT (editable) or LAUNCHED (members resolved and assigned). */
public enum CampaignStatus {
  DRAFT,
  LAUNCHED
}
