package io.retain.retention.campaign;

import io.retain.retention.remote.CustomerClient;
import io.retain.retention.remote.ScoringClient;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Resolves a target into customer ids: scoring-service for tiers, risk codes and RFM segments,
 * customer-service for kinds, industries and value tiers, intersected when both are asked. Fails
 * with a RemoteException when a service it needs is down; then nothing is launched.
 */
@Service
class CampaignTargeting {

  private final ScoringClient scoring;
  private final CustomerClient customers;

  CampaignTargeting(ScoringClient scoring, CustomerClient customers) {
    this.scoring = scoring;
    this.customers = customers;
  }

  /** The matching customer ids, sorted, without duplicates. */
  Mono<List<String>> resolve(CampaignTarget t) {
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
    // one service after the other: a launch is rare, and the remotes see one call at a time
    return byLoyalty
        .zipWhen(loyalty -> byProfile)
        .map(
            both -> {
              Set<String> ids = new HashSet<>(both.getT1().or(both::getT2).orElseThrow());
              both.getT2().ifPresent(ids::retainAll);
              return ids.stream().sorted().toList();
            });
  }
}
