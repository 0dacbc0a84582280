package io.retain.retention.campaign;

import java.util.List;

/**
 * Who a campaign is for; each non-empty list must match (any of its values), empty lists do not
 * filter. Tiers, risk codes and RFM segments are scoring-service's; kinds, industries and value
 * tiers customer-service's.
 */
public record CampaignTarget(
    List<String> tiers,
    List<String> riskCodes,
    List<String> industries,
    List<String> kinds,
    List<String> valueTiers,
    List<String> rfmSegments) {

  public CampaignTarget {
    tiers = copy(tiers);
    riskCodes = copy(riskCodes);
    industries = copy(industries);
    kinds = copy(kinds);
    valueTiers = copy(valueTiers);
    rfmSegments = copy(rfmSegments);
  }

  /** Whether scoring-service must be asked. */
  public boolean needsScoring() {
    return !tiers.isEmpty() || !riskCodes.isEmpty() || !rfmSegments.isEmpty();
  }

  /** Whether customer-service must be asked (also when nothing filters: then everyone). */
  public boolean needsCustomers() {
    return !kinds.isEmpty() || !industries.isEmpty() || !valueTiers.isEmpty() || !needsScoring();
  }

  private static List<String> copy(List<String> values) {
    return values == null ? List.of() : values.stream().map(String::strip).distinct().toList();
  }
}
