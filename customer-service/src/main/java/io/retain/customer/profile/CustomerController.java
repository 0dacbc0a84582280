package io.retain.customer.profile;

import java.util.List;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Placeholder profile resolver; the profile feature replaces it. */
@Controller
class CustomerController {

  private final DatabaseClient db;

  CustomerController(DatabaseClient db) {
    this.db = db;
  }

  record Customer(String id, String name) {}

  @QueryMapping
  Mono<Customer> customer(@Argument String id) {
    return db.sql("select id, name from customer where id = :id")
        .bind("id", id.trim().toUpperCase())
        .map((r, m) -> new Customer(r.get("id", String.class), r.get("name", String.class)))
        .one();
  }

  @EntityMapping
  Flux<Customer> customer(@Argument List<String> idList) {
    return db.sql("select id, name from customer where id = any(:ids)")
        .bind("ids", idList.toArray(String[]::new))
        .map((r, m) -> new Customer(r.get("id", String.class), r.get("name", String.class)))
        .all()
        .collectMap(Customer::id)
        .flatMapMany(
            byId ->
                Flux.fromIterable(idList).map(i -> byId.getOrDefault(i, new Customer(i, null))));
  }
}
