package io.retain.retention.customer;

import java.util.List;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Resolves Customer entity references so retention-service can add fields to customers it does not
 * own.
 */
@Controller
class CustomerEntityController {

  @EntityMapping
  Flux<Customer> customer(@Argument List<String> idList) {
    return Flux.fromIterable(idList).map(Customer::new);
  }

  @QueryMapping
  Mono<String> retentionVersion() {
    return Mono.just("0.1.0");
  }
}
