package io.retain.retention.campaign;

import java.math.BigDecimal;
import java.time.LocalDate;

/** The editable content of a campaign, as created or after an update. */
public record CampaignDraft(
    String name,
    String objective,
    CampaignTarget target,
    String offer,
    String channel,
    LocalDate startDate,
    LocalDate endDate,
    BigDecimal holdoutShare) {}
