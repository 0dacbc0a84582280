package io.retain.scoring.customer;

import java.util.List;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/**
 * Resolves Customer references so scoring can add loyalty fields to customers it does not own. The
 * owner of the data decides who may read it: the same role as the root queries (ANALYST).
 */
@Controller
class CustomerEntityController {

  @EntityMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<Customer> customer(@Argument List<String> idList) {
    return Flux.fromIterable(idList).map(Customer::new);
  }
}
