package io.retain.retention.campaign;

/** The group a member was put in by {@link Holdout}. */
public enum CampaignAssignment {
  TREATMENT,
  HOLDOUT
}
