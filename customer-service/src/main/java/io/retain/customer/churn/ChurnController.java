package io.retain.customer.churn;

import io.retain.support.graphql.ApiException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
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

  /** Longest series (steps) one call may ask for, so a DAY series cannot run away. */
  static final long MAX_STEPS = 3_700;

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
  @PreAuthorize("hasRole('ANALYST')")
  Mono<ChurnStatistics> churnStatistics(
      @Argument LocalDate from,
      @Argument LocalDate to,
      @Argument String breakdown,
      @Argument String granularity) {
    if (to.isBefore(from)) {
      throw ApiException.badInput(
          "to", "a date on or after from", "The period ends before it starts");
    }
    String unit = granularity == null ? "month" : granularity.toLowerCase(java.util.Locale.ROOT);
    long steps =
        switch (unit) {
          case "day" -> ChronoUnit.DAYS.between(from, to);
          case "week" -> ChronoUnit.WEEKS.between(from, to);
          default -> ChronoUnit.MONTHS.between(from, to);
        };
    if (steps > MAX_STEPS) {
      throw ApiException.badInput(
          "granularity", "at most " + MAX_STEPS + " steps", "The series would be too long");
    }
    String column =
        breakdown == null
            ? null
            : switch (breakdown) {
              case "KIND" -> "kind";
              case "INDUSTRY" -> "industry";
              case "VALUE_TIER" -> "value_tier";
              case "REGION" -> "region";
              default -> throw new IllegalArgumentException(breakdown);
            };
    Mono<List<ChurnStatistics.Group>> groups =
        column == null ? Mono.just(List.of()) : churn.groups(from, to, column);
    return Mono.zip(
            churn.groups(from, to, null),
            groups,
            churn.series(from, to, unit),
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
