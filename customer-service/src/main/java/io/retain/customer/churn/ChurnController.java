package io.retain.customer.churn;

import java.time.LocalDate;
import java.util.List;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Churn statistics for analysts and segment retention for the scoring service. */
@Controller
class ChurnController {

  private final ChurnRepository churn;

  ChurnController(ChurnRepository churn) {
    this.churn = churn;
  }

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Flux<ChurnStatistics.SegmentRetention> segmentRetention(@Argument LocalDate asOf) {
    return churn.segmentRetention(asOf);
  }

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Flux<ChurnStatistics.ChurnEvent> churnEvents(@Argument LocalDate to) {
    return churn.events(to);
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<ChurnStatistics> churnStatistics(
      @Argument LocalDate from,
      @Argument LocalDate to,
      @Argument String breakdown,
      @Argument String granularity) {
    ChurnQuery q = ChurnQuery.of(from, to, breakdown, granularity);
    Mono<List<ChurnStatistics.Group>> groups =
        q.column() == null ? Mono.just(List.of()) : churn.groups(from, to, q.column());
    return Mono.zip(
            churn.groups(from, to, null),
            groups,
            churn.series(from, to, q.unit()),
            churn.timing(to),
            churn.counts(from, to),
            churn.lostValue(from, to),
            churn.cohorts(from, to))
        .map(
            z ->
                new ChurnStatistics(
                    from,
                    to,
                    z.getT1().isEmpty()
                        ? new ChurnStatistics.Group(null, 0, 0, 0)
                        : z.getT1().get(0),
                    z.getT2(),
                    z.getT3(),
                    z.getT4(),
                    z.getT5().get("type"),
                    z.getT5().get("cause"),
                    z.getT5().get("reason"),
                    z.getT6(),
                    z.getT7()));
  }
}
