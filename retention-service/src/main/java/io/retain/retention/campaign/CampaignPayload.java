package io.retain.retention.campaign;

import io.retain.support.graphql.UserError;
import java.util.List;

/** Result of every campaign mutation: the campaign, or why not (schema type CampaignPayload). */
record CampaignPayload(Campaign campaign, List<UserError> errors) {

  static CampaignPayload ok(Campaign c) {
    return new CampaignPayload(c, List.of());
  }

  static CampaignPayload error(UserError e) {
    return new CampaignPayload(null, List.of(e));
  }

  static CampaignPayload errors(List<UserError> errors) {
    return new CampaignPayload(null, errors);
  }
}
