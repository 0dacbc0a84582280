package io.retain.retention.campaign;

/** A customer's place in a campaign. */
record CampaignMembership(Campaign campaign, CampaignAssignment assignment) {}
