package io.retain.customer.importing;

import io.retain.customer.importing.QuarantineRepository.QuarantinedRow;
import io.retain.support.paging.Paging;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/** Lists what imports refused, so a data steward can correct and re-submit it. */
@Controller
class QuarantineController {

  private final QuarantineRepository quarantine;

  QuarantineController(QuarantineRepository quarantine) {
    this.quarantine = quarantine;
  }

  @QueryMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Flux<QuarantinedRow> quarantine(@Argument String entity, @Argument Integer first) {
    return quarantine.open(entity == null ? "" : entity, Paging.first(first, 100));
  }
}
