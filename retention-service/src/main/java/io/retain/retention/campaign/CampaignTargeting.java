package io.retain.retention.campaign;

import io.retain.retention.remote.CustomerClient;
import io.retain.retention.remote.ScoringClient;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Resolves a target into customer ids: scoring-service for tiers, risk codes, RFM segments and the
 * minimum churn probability (its active churn model), customer-service for kinds, industries and
 * value tiers, intersected when several are asked. Fails with a RemoteException when a service it
 * needs is down, or {@link NoActiveChurnModel} when a churn minimum has no model to select with;
 * then nothing is launched.
 */
@Service
class CampaignTargeting {

  /** The matching customer ids, sorted, and the churn model version used (null: none). */
  record Audience(List<String> customerIds, @Nullable Integer churnModelVersion) {}

  /**
   * A target with a churn minimum, but scoring has no active churn model (or another one became
   * active while the audience was read).
   */
  static final class NoActiveChurnModel extends RuntimeException {
    NoActiveChurnModel() {
      super("scoring-service has no active churn model", null, false, false);
    }
  }

  private final ScoringClient scoring;
  private final CustomerClient customers;

  CampaignTargeting(ScoringClient scoring, CustomerClient customers) {
    this.scoring = scoring;
    this.customers = customers;
  }

  /** The active churn model's version; fails with NoActiveChurnModel when there is none. */
  Mono<Integer> activeChurnModel() {
    return scoring.activeChurnModel().switchIfEmpty(Mono.error(NoActiveChurnModel::new));
  }

  /** The matching customers, without duplicates, and the churn model that selected them. */
  Mono<Audience> resolve(CampaignTarget t) {
    Mono<Optional<List<String>>> byLoyalty =
        t.needsScoring()
            ? scoring
                .customerIdsByLoyalty(t.tiers(), t.riskCodes(), t.rfmSegments())
                .map(Optional::of)
            : Mono.just(Optional.empty());
    Mono<Optional<List<String>>> byProfile =
        t.needsCustomers()
            ? customers.customerIds(t.kinds(), t.industries(), t.valueTiers()).map(Optional::of)
            : Mono.just(Optional.empty());
    Double minChurn = t.minChurnProbability();
    Mono<Optional<Integer>> model =
        minChurn == null ? Mono.just(Optional.empty()) : activeChurnModel().map(Optional::of);
    // one call after the other: a launch is rare, and the remotes see one call at a time; the
    // model is checked first so that "no model" is not mistaken for "nobody at risk"
    return model.flatMap(
        version -> {
          // the model is asked again after paging: pages of two models are never mixed
          Mono<Optional<List<String>>> byChurn =
              version.isPresent()
                  ? scoring
                      .customerIdsByChurnRisk(minChurn)
                      .flatMap(
                          ids ->
                              activeChurnModel()
                                  .flatMap(
                                      after ->
                                          after.equals(version.get())
                                              ? Mono.just(Optional.of(ids))
                                              : Mono.error(new NoActiveChurnModel())))
                  : Mono.just(Optional.empty());
          return byChurn
              .zipWhen(churn -> byLoyalty)
              .zipWhen(churnAndLoyalty -> byProfile)
              .map(
                  all ->
                      new Audience(
                          intersect(List.of(all.getT1().getT1(), all.getT1().getT2(), all.getT2())),
                          version.orElse(null)));
        });
  }

  /** The ids in every asked criterion's list, sorted (at least one criterion is asked). */
  static List<String> intersect(List<Optional<List<String>>> criteria) {
    Set<String> ids = null;
    for (Optional<List<String>> c : criteria) {
      if (c.isPresent()) {
        if (ids == null) {
          ids = new HashSet<>(c.get());
        } else {
          ids.retainAll(Set.copyOf(c.get()));
        }
      }
    }
    return ids == null ? List.of() : ids.stream().sorted().toList();
  }
}
