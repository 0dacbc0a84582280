package io.retain.retention.campaign;

import io.retain.retention.remote.CustomerClient;
import io.retain.retention.remote.CustomerOutcome;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Measures a launched campaign from customer-service's outcome aggregates (DOMAIN.md §8): computed
 * on request, nothing stored, so an outage only fails the request that needed it.
 */
@Service
class CampaignEvaluator {

  /** Ids per customerOutcomes call (customer-service takes at most 5000). */
  static final int OUTCOME_CHUNK = 1000;

  private final CampaignRepository campaigns;
  private final CustomerClient customers;

  CampaignEvaluator(CampaignRepository campaigns, CustomerClient customers) {
    this.campaigns = campaigns;
    this.customers = customers;
  }

  /** The results as of {@code today}; empty before launch or before the start date. */
  Mono<CampaignResults> results(Campaign c, LocalDate today) {
    LocalDate from = c.draft().startDate();
    if (c.status() != CampaignStatus.LAUNCHED || today.isBefore(from)) {
      return Mono.empty();
    }
    LocalDate to = today.isBefore(c.draft().endDate()) ? today : c.draft().endDate();
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    LocalDate beforeTo = from.minusDays(1);
    LocalDate beforeFrom = from.minusDays(days);
    return campaigns
        .members(c.id())
        .collectList()
        .flatMap(
            members -> {
              List<String> all =
                  members.stream().map(CampaignRepository.Member::customerId).toList();
              List<String> treated =
                  members.stream()
                      .filter(m -> m.assignment() == CampaignAssignment.TREATMENT)
                      .map(CampaignRepository.Member::customerId)
                      .toList();
              List<String> held =
                  members.stream()
                      .filter(m -> m.assignment() == CampaignAssignment.HOLDOUT)
                      .map(CampaignRepository.Member::customerId)
                      .toList();
              return outcomes(all, from, to)
                  .zipWhen(after -> outcomes(treated, beforeFrom, beforeTo))
                  .map(
                      t -> {
                        var after = samples(treated, t.getT1(), from, to);
                        return new CampaignResults(
                            from,
                            to,
                            beforeFrom,
                            beforeTo,
                            CampaignStats.compare(after, samples(held, t.getT1(), from, to)),
                            CampaignStats.compare(
                                after, samples(treated, t.getT2(), beforeFrom, beforeTo)));
                      });
            });
  }

  private Mono<Map<String, CustomerOutcome>> outcomes(
      List<String> ids, LocalDate from, LocalDate to) {
    return Flux.range(0, (ids.size() + OUTCOME_CHUNK - 1) / OUTCOME_CHUNK)
        .map(i -> ids.subList(i * OUTCOME_CHUNK, Math.min(ids.size(), (i + 1) * OUTCOME_CHUNK)))
        .concatMap(chunk -> customers.customerOutcomes(chunk, from, to))
        .concatMapIterable(Function.identity())
        .collectMap(CustomerOutcome::customerId, Function.identity());
  }

  /** Samples of the given customers; ones customer-service does not know are left out. */
  private static List<CustomerOutcomeSample> samples(
      Collection<String> ids, Map<String, CustomerOutcome> outcomes, LocalDate from, LocalDate to) {
    return ids.stream()
        .map(outcomes::get)
        .filter(o -> o != null)
        .map(o -> sample(o, from, to))
        .toList();
  }

  /**
   * One customer's outcome over [from, to]: retained = not churned at the end of the period (a
   * win-back after the churn undoes it); lapsed = churned before the period and not won back before
   * it; won back = lapsed and ordered (or was marked won back) within the period; complained = at
   * least one complaint; satisfaction = CSAT mean, null without answers.
   */
  static CustomerOutcomeSample sample(CustomerOutcome o, LocalDate from, LocalDate to) {
    LocalDate churned = date(o.churnedAt());
    LocalDate wonBack = date(o.wonBackAt());
    boolean wonBackAfterChurn = churned != null && wonBack != null && !wonBack.isBefore(churned);
    boolean churnedAtEnd =
        churned != null && !churned.isAfter(to) && !(wonBackAfterChurn && !wonBack.isAfter(to));
    boolean lapsed =
        churned != null && churned.isBefore(from) && !(wonBackAfterChurn && wonBack.isBefore(from));
    boolean returned = lapsed && (o.orders() > 0 || (wonBackAfterChurn && !wonBack.isAfter(to)));
    return new CustomerOutcomeSample(
        o.customerId(),
        !churnedAtEnd,
        lapsed,
        returned,
        o.spend(),
        o.complaints() > 0,
        o.csatResponses() > 0 ? o.csatMean() : null);
  }

  private static LocalDate date(String iso) {
    return iso == null ? null : LocalDate.parse(iso);
  }
}
