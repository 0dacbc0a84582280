package io.retain.customer.importing;

import io.retain.customer.importing.QuarantineRepository.QuarantinedRow;
import io.retain.support.graphql.ApiException;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;

/** Lists what imports refused, so a data steward can correct and re-submit it. */
@Controller
class QuarantineController {

  /** The most rows one page lists; a larger {@code first} is capped to it. */
  static final int MAX_FIRST = 1000;

  private final QuarantineRepository quarantine;

  QuarantineController(QuarantineRepository quarantine) {
    this.quarantine = quarantine;
  }

  @QueryMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Flux<QuarantinedRow> quarantine(@Argument String entity, @Argument Integer first) {
    if (first != null && first < 0) {
      throw ApiException.badInput(
          "first", "0 to " + MAX_FIRST, "first must not be negative, got " + first);
    }
    return quarantine.open(
        entity == null ? "" : entity, first == null ? 100 : Math.min(first, MAX_FIRST));
  }
}
