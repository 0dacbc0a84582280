package io.retain.scoring.loyalty;

import io.retain.scoring.customer.Customer;
import io.retain.scoring.loyalty.LoyaltyRepository.ScorePoint;
import io.retain.scoring.profile.ProfileRepository;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A customer's loyalty (batched, from stored assessments) and history. */
@Controller
class CustomerLoyaltyController {

  /** One loyalty read: a customer, and the date it is asked for (null: the latest). */
  record LoyaltyKey(String customerId, LocalDate asOf) {}

  private final LoyaltyRepository repository;
  private final ProfileRepository profiles;

  CustomerLoyaltyController(
      LoyaltyRepository repository, ProfileRepository profiles, BatchLoaderRegistry registry) {
    this.repository = repository;
    this.profiles = profiles;
    registry
        .forTypePair(LoyaltyKey.class, Loyalty.class)
        .withName("loyalty")
        .registerMappedBatchLoader((keys, env) -> load(keys));
  }

  /** Batched across the customers of a request: one query per distinct asOf. */
  // reactive method security needs a Publisher: the load is registered when the check has passed
  @SchemaMapping(typeName = "Customer")
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Loyalty> loyalty(
      Customer c, @Argument LocalDate asOf, DataLoader<LoyaltyKey, Loyalty> loyalty) {
    return Mono.fromFuture(loyalty.load(new LoyaltyKey(c.id(), asOf)));
  }

  private Mono<Map<LoyaltyKey, Loyalty>> load(Set<LoyaltyKey> keys) {
    Map<Optional<LocalDate>, List<String>> byDate =
        keys.stream()
            .collect(
                Collectors.groupingBy(
                    k -> Optional.ofNullable(k.asOf()),
                    Collectors.mapping(LoyaltyKey::customerId, Collectors.toList())));
    return profiles
        .current()
        .flatMapMany(
            p ->
                Flux.fromIterable(byDate.entrySet())
                    .concatMap(
                        e ->
                            repository
                                .stored(e.getValue(), e.getKey().orElse(null), p)
                                .map(
                                    l ->
                                        Map.entry(
                                            new LoyaltyKey(
                                                l.a().customerId(), e.getKey().orElse(null)),
                                            l))))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  @SchemaMapping(typeName = "Customer")
  @PreAuthorize("hasRole('ANALYST')")
  Flux<ScorePoint> loyaltyHistory(Customer c, @Argument LocalDate from, @Argument LocalDate to) {
    return repository.history(c.id(), from, to);
  }
}
