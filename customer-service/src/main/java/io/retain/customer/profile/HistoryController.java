package io.retain.customer.profile;

import io.retain.customer.profile.Paging.PageInfo;
import io.retain.customer.profile.Paging.Position;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A customer's orders, tickets and surveys as Relay connections, newest first. Pages of many
 * customers load in one statement per distinct (first, after) through a data loader.
 */
@Controller
class HistoryController {

  record Edge(String cursor, Object node) {}

  record Connection(List<Edge> edges, PageInfo pageInfo) {}

  /** One customer's page request. */
  record PageKey(String history, String customerId, int first, Position after) {}

  private final HistoryRepository histories;

  HistoryController(HistoryRepository histories, BatchLoaderRegistry registry) {
    this.histories = histories;
    registry
        .forTypePair(PageKey.class, Connection.class)
        .withName("customerHistory")
        .registerMappedBatchLoader((keys, env) -> load(keys));
  }

  @SchemaMapping
  CompletableFuture<Connection> orders(
      Customer c,
      @Argument Integer first,
      @Argument String after,
      DataLoader<PageKey, Connection> customerHistory) {
    return customerHistory.load(key("orders", c, first, after));
  }

  @SchemaMapping
  CompletableFuture<Connection> tickets(
      Customer c,
      @Argument Integer first,
      @Argument String after,
      DataLoader<PageKey, Connection> customerHistory) {
    return customerHistory.load(key("tickets", c, first, after));
  }

  @SchemaMapping
  CompletableFuture<Connection> surveys(
      Customer c,
      @Argument Integer first,
      @Argument String after,
      DataLoader<PageKey, Connection> customerHistory) {
    return customerHistory.load(key("surveys", c, first, after));
  }

  private static PageKey key(String history, Customer c, Integer first, String after) {
    return new PageKey(history, c.id(), Paging.first(first), Paging.historyPosition(after));
  }

  private Mono<Map<PageKey, Connection>> load(Set<PageKey> keys) {
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

  private Flux<Map.Entry<PageKey, Connection>> loadGroup(List<PageKey> keys) {
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
                        k -> {
                          Paging.Page<Edge> page =
                              Paging.page(
                                  new ArrayList<>(rows.getOrDefault(k.customerId(), List.of())),
                                  k.first(),
                                  i -> new Edge(Paging.historyCursor(i.at(), i.id()), i.node()),
                                  Edge::cursor);
                          return Map.entry(k, new Connection(page.items(), page.pageInfo()));
                        }));
  }
}
