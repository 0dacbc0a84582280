package io.retain.customer.profile;

import io.retain.customer.profile.HistoryRepository.Position;
import io.retain.support.paging.Keyset;
import io.retain.support.paging.Paging;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A customer's orders, tickets and surveys as Relay connections, newest first (time, then id).
 * Pages of many customers load in one statement per distinct (first, after) through a data loader;
 * Spring for GraphQL makes each window a connection.
 */
@Controller
class HistoryController {

  /** The page size when {@code first} is null (the schema's default). */
  static final int DEFAULT_FIRST = 20;

  /** One customer's page request. */
  record PageKey(String history, String customerId, int first, Position after) {}

  private final HistoryRepository histories;

  HistoryController(HistoryRepository histories, BatchLoaderRegistry registry) {
    this.histories = histories;
    registry
        .<PageKey, Window<?>>forName("customerHistory")
        .registerMappedBatchLoader((keys, env) -> load(keys));
  }

  @SchemaMapping
  CompletableFuture<Window<?>> orders(
      Customer c,
      @Argument Integer first,
      ScrollSubrange after,
      DataLoader<PageKey, Window<?>> customerHistory) {
    return customerHistory.load(key("orders", c, first, after));
  }

  @SchemaMapping
  CompletableFuture<Window<?>> tickets(
      Customer c,
      @Argument Integer first,
      ScrollSubrange after,
      DataLoader<PageKey, Window<?>> customerHistory) {
    return customerHistory.load(key("tickets", c, first, after));
  }

  @SchemaMapping
  CompletableFuture<Window<?>> surveys(
      Customer c,
      @Argument Integer first,
      ScrollSubrange after,
      DataLoader<PageKey, Window<?>> customerHistory) {
    return customerHistory.load(key("surveys", c, first, after));
  }

  private static PageKey key(String history, Customer c, Integer first, ScrollSubrange after) {
    Position at =
        Paging.after(after, "at", "id")
            .map(k -> new Position(k.parse("at", Instant::parse), k.text("id")))
            .orElse(null);
    return new PageKey(history, c.id(), Paging.first(first, DEFAULT_FIRST), at);
  }

  private Mono<Map<PageKey, Window<?>>> load(Set<PageKey> keys) {
    // keys that share history and page arguments load together in one statement
    Map<List<Object>, List<PageKey>> groups = new LinkedHashMap<>();
    for (PageKey k : keys) {
      List<Object> g = new ArrayList<>();
      g.add(k.history());
      g.add(k.first());
      g.add(String.valueOf(k.after()));
      groups.computeIfAbsent(g, x -> new ArrayList<>()).add(k);
    }
    return Flux.fromIterable(groups.values())
        .concatMap(this::loadGroup)
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  private Flux<Map.Entry<PageKey, Window<?>>> loadGroup(List<PageKey> keys) {
    PageKey proto = keys.get(0);
    Set<String> customerIds = new HashSet<>();
    keys.forEach(k -> customerIds.add(k.customerId()));
    return histories
        .newestFirst(proto.history(), customerIds, proto.first() + 1, proto.after())
        .collectMultimap(HistoryRepository.Item::customerId)
        .flatMapMany(
            rows ->
                Flux.fromIterable(keys)
                    .map(
                        k ->
                            Map.entry(
                                k,
                                Paging.window(
                                        new ArrayList<>(
                                            rows.getOrDefault(k.customerId(), List.of())),
                                        k.first(),
                                        i -> Keyset.of("at", i.at(), "id", i.id()))
                                    .map(HistoryRepository.Item::node))));
  }
}
