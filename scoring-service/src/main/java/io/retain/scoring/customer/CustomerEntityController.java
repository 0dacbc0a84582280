package io.retain.scoring.customer;

import java.util.List;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/** Resolves Customer references so scoring can add loyalty fields to customers it does not own. */
@Controller
class CustomerEntityController {

  @EntityMapping
  Flux<Customer> customer(@Argument List<String> idList) {
    return Flux.fromIterable(idList).map(Customer::new);
  }
}
