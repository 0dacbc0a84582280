package io.retain.scoring.rescoring;

import io.retain.scoring.warning.WarningPolicy;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** What was stored before a batch is scored: for its warnings and for SCORE_DECLINE. */
@Repository
class PreviousAssessments {

  /**
   * The latest stored assessment (for warnings) and the latest score at least 30 days old (for
   * SCORE_DECLINE).
   */
  record Previous(WarningPolicy.Before latest, @Nullable Double older) {}

  private final DatabaseClient db;

  PreviousAssessments(DatabaseClient db) {
    this.db = db;
  }

  /** For these customers, in one round trip, in the order of {@code ids}. */
  Mono<List<Previous>> of(String[] ids, LocalDate asOf) {
    return db.sql(
            """
            select l.tier, l.high_codes, l.score, l.as_of,
              (select h.score from assessment_history h
                where h.customer_id = x.id and h.as_of <= $2 and h.score is not null
                order by h.as_of desc limit 1) as older
            from unnest($1::text[]) with ordinality as x(id, n)
              left join assessment_latest l on l.customer_id = x.id
            order by x.n
            """)
        .bind(0, ids)
        .bind(1, asOf.minusDays(30))
        .map(
            (r, m) ->
                new Previous(
                    r.get("tier") == null
                        ? WarningPolicy.Before.NONE
                        : new WarningPolicy.Before(
                            r.get("tier", String.class),
                            Set.of(r.get("high_codes", String[].class)),
                            r.get("score") == null ? null : ((Number) r.get("score")).doubleValue(),
                            r.get("as_of", LocalDate.class)),
                    r.get("older") == null ? null : ((Number) r.get("older")).doubleValue()))
        .all()
        .collectList();
  }
}
