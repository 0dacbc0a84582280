package io.retain.retention.campaign;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Who a campaign is for; each non-empty list must match (any of its values), empty lists do not
 * filter; a minimum churn probability (null: none) must be reached under scoring's active churn
 * model. Tiers, risk codes, RFM segments and churn risk are scoring-service's; kinds, industries
 * and value tiers customer-service's.
 */
public record CampaignTarget(
    List<String> tiers,
    List<String> riskCodes,
    List<String> industries,
    List<String> kinds,
    List<String> valueTiers,
    List<String> rfmSegments,
    @Nullable Double minChurnProbability) {

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

  /** Whether scoring-service's churn predictions must be asked. */
  public boolean needsChurnRisk() {
    return minChurnProbability != null;
  }

  /** Whether customer-service must be asked (also when nothing filters: then everyone). */
  public boolean needsCustomers() {
    return !kinds.isEmpty()
        || !industries.isEmpty()
        || !valueTiers.isEmpty()
        || (!needsScoring() && !needsChurnRisk());
  }

  private static List<String> copy(List<String> values) {
    return values == null ? List.of() : values.stream().map(String::strip).distinct().toList();
  }
}
