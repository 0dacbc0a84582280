package io.retain.customer.profile;

import io.retain.customer.profile.CustomerRepository.CustomerFilter;
import io.retain.support.paging.Keyset;
import io.retain.support.paging.Paging;
import io.retain.support.security.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Customer profiles: one customer, filtered pages, entity references, nested data in batches. */
@Controller
class CustomerController {

  /** The page size when {@code first} is null (the schema's default). */
  static final int DEFAULT_FIRST = 20;

  /** How many of the newest orders {@code recentOrders} shows. */
  static final int RECENT_ORDERS = 10;

  private final CustomerRepository customers;

  CustomerController(CustomerRepository customers) {
    this.customers = customers;
  }

  record Contact(String name, String phone, String email, boolean masked) {}

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Customer> customer(@Argument String id) {
    return customers.findById(id.trim().toUpperCase(Locale.ROOT));
  }

  /** In id order; Spring for GraphQL makes the connection from the window. */
  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Window<Customer>> customers(
      @Argument CustomerFilter filter, @Argument Integer first, ScrollSubrange after) {
    int n = Paging.first(first, DEFAULT_FIRST);
    String afterId = Paging.after(after, "id").map(k -> k.text("id")).orElse("");
    return customers
        .page(filter == null ? CustomerFilter.NONE : filter, afterId, n + 1)
        .collectList()
        .map(rows -> Paging.window(rows, n, c -> Keyset.of("id", c.id())));
  }

  /** Federation: other subgraphs' references resolved in one query. */
  @EntityMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<Customer> customer(@Argument List<String> idList) {
    return customers
        .findAllById(idList)
        .collectMap(Customer::id, Function.identity())
        .flatMapMany(byId -> Flux.fromIterable(idList).map(id -> byId.get(id)));
  }

  @SchemaMapping
  Mono<Contact> contact(Customer c) {
    return Caller.mayReadPii()
        .map(
            clear ->
                clear
                    ? new Contact(c.contactName(), c.phone(), c.email(), false)
                    : new Contact(
                        Masking.name(c.contactName()),
                        Masking.phone(c.phone()),
                        Masking.email(c.email()),
                        true));
  }

  @BatchMapping
  Mono<Map<Customer, ChurnRecord>> churn(List<Customer> list) {
    Map<String, Customer> byId = byId(list);
    return customers
        .churnRecords(byId.keySet())
        .collectMap(e -> byId.get(e.getKey()), Map.Entry::getValue);
  }

  @BatchMapping
  Mono<Map<Customer, List<Order>>> recentOrders(List<Customer> list) {
    return customers
        .recentOrders(byId(list).keySet(), RECENT_ORDERS)
        .collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
        .map(
            grouped -> {
              Map<Customer, List<Order>> out = new LinkedHashMap<>();
              for (Customer c : list) {
                out.put(c, new ArrayList<>(grouped.getOrDefault(c.id(), List.of())));
              }
              return out;
            });
  }

  private static Map<String, Customer> byId(List<Customer> customers) {
    Map<String, Customer> m = new LinkedHashMap<>();
    customers.forEach(c -> m.put(c.id(), c));
    return m;
  }
}
