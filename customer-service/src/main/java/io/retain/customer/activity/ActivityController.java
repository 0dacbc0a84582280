package io.retain.customer.activity;

import io.retain.support.graphql.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The internal API other services call (role SERVICE): aggregates, the change feed, outcomes. */
@Controller
class ActivityController {

  static final int MAX_IDS = 5000;
  private final ActivityRepository activity;
  private final DatabaseClient db;

  ActivityController(ActivityRepository activity, DatabaseClient db) {
    this.activity = activity;
    this.db = db;
  }

  /** One change in the activity feed. */
  record ActivityChange(long seq, String customerId, Instant changedAt) {}

  /** Profile fields other services decide by. */
  record CustomerProfile(
      String id,
      String kind,
      String industry,
      String valueTier,
      String region,
      String status,
      LocalDate since,
      List<String> churnReasons) {}

  /** What a customer did between two dates (retention measures plans and campaigns with it). */
  record CustomerOutcome(
      String customerId,
      int orders,
      double spend,
      int complaints,
      int tickets,
      int npsResponses,
      int npsPromoters,
      int npsDetractors,
      Double csatMean,
      int csatResponses,
      LocalDate lastOrderDate,
      LocalDate churnedAt,
      LocalDate wonBackAt,
      String status) {}

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Mono<List<CustomerActivity>> customerActivity(
      @Argument List<String> ids, @Argument LocalDate asOf, @Argument Integer windowMonths) {
    int w = windowMonths == null ? 12 : windowMonths;
    if (w < 1 || w > 120) {
      throw ApiException.badInput(
          "windowMonths", "1 to 120", "windowMonths " + w + " is out of range");
    }
    List<String> clean = clean(ids);
    return activity
        .forIds(clean, asOf, w)
        .collectMap(CustomerActivity::customerId, Function.identity())
        .map(byId -> clean.stream().filter(byId::containsKey).map(byId::get).toList());
  }

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Flux<ActivityChange> activityChanges(@Argument Long after, @Argument Integer limit) {
    int l = limit == null ? 1000 : limit;
    if (l < 1 || l > 10_000) {
      throw ApiException.badInput("limit", "1 to 10000", "limit " + l + " is out of range");
    }
    return db.sql(
            "select seq, customer_id, changed_at from activity_change where seq > $1 order by seq limit $2")
        .bind(0, after == null ? 0L : after)
        .bind(1, l)
        .map(
            (r, m) ->
                new ActivityChange(
                    r.get("seq", Long.class),
                    r.get("customer_id", String.class),
                    r.get("changed_at", OffsetDateTime.class).toInstant()))
        .all();
  }

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Mono<List<CustomerProfile>> customerProfiles(@Argument List<String> ids) {
    List<String> clean = clean(ids);
    return db.sql(
            """
            select c.id, c.kind, c.industry, c.value_tier, c.region, c.status, c.since,
                   coalesce(h.reasons, '{}') as reasons
            from customer c left join churn_record h on h.customer_id = c.id
            where c.id = any($1::text[])
            """)
        .bind(0, clean.toArray(String[]::new))
        .map(
            (r, m) ->
                new CustomerProfile(
                    r.get("id", String.class),
                    r.get("kind", String.class),
                    r.get("industry", String.class),
                    r.get("value_tier", String.class),
                    r.get("region", String.class),
                    r.get("status", String.class),
                    r.get("since", LocalDate.class),
                    List.of(r.get("reasons", String[].class))))
        .all()
        .collectMap(CustomerProfile::id, Function.identity())
        .map(byId -> clean.stream().filter(byId::containsKey).map(byId::get).toList());
  }

  @QueryMapping
  @PreAuthorize("hasRole('SERVICE')")
  Mono<List<CustomerOutcome>> customerOutcomes(
      @Argument List<String> ids, @Argument LocalDate from, @Argument LocalDate to) {
    if (to.isBefore(from)) {
      throw ApiException.badInput(
          "to", "a date on or after from", "to " + to + " is before from " + from);
    }
    List<String> clean = clean(ids);
    return db.sql(
            """
            with ids as (select unnest($1::text[]) as id),
            p as (select ($2::date::timestamp at time zone 'UTC') as f,
                         (($3::date + 1)::timestamp at time zone 'UTC') as t),
            o as (select o.customer_id, count(*) as n, sum(o.amount) as s,
                         max((o.placed_at at time zone 'UTC')::date) as last_d
                  from customer_order o join ids on ids.id = o.customer_id, p
                  where o.status = 'COMPLETED' and not o.test and o.placed_at >= p.f and o.placed_at < p.t
                  group by o.customer_id),
            tk as (select t.customer_id, count(*) as n, count(*) filter (where t.complaint) as c
                   from service_ticket t join ids on ids.id = t.customer_id, p
                   where t.opened_at >= p.f and t.opened_at < p.t group by t.customer_id),
            sv as (select s.customer_id, count(*) as n, count(*) filter (where s.nps >= 9) as prom,
                          count(*) filter (where s.nps <= 6) as det, avg(s.csat) as csat,
                          count(s.csat) as csat_n
                   from survey_response s join ids on ids.id = s.customer_id, p
                   where s.answered_at >= p.f and s.answered_at < p.t group by s.customer_id)
            select c.id, coalesce(o.n, 0) as orders, coalesce(o.s, 0) as spend, o.last_d,
                   coalesce(tk.c, 0) as complaints, coalesce(tk.n, 0) as tickets,
                   coalesce(sv.n, 0) as nps_n, coalesce(sv.prom, 0) as prom, coalesce(sv.det, 0) as det,
                   sv.csat, coalesce(sv.csat_n, 0) as csat_n, h.churned_at, h.won_back_at, c.status
            from customer c join ids on ids.id = c.id
              left join o on o.customer_id = c.id left join tk on tk.customer_id = c.id
              left join sv on sv.customer_id = c.id left join churn_record h on h.customer_id = c.id
            """)
        .bind(0, clean.toArray(String[]::new))
        .bind(1, from)
        .bind(2, to)
        .map(
            (r, m) ->
                new CustomerOutcome(
                    r.get("id", String.class),
                    ((Number) r.get("orders")).intValue(),
                    ((Number) r.get("spend")).doubleValue(),
                    ((Number) r.get("complaints")).intValue(),
                    ((Number) r.get("tickets")).intValue(),
                    ((Number) r.get("nps_n")).intValue(),
                    ((Number) r.get("prom")).intValue(),
                    ((Number) r.get("det")).intValue(),
                    r.get("csat") == null ? null : ((Number) r.get("csat")).doubleValue(),
                    ((Number) r.get("csat_n")).intValue(),
                    r.get("last_d", LocalDate.class),
                    r.get("churned_at", LocalDate.class),
                    r.get("won_back_at", LocalDate.class),
                    r.get("status", String.class)))
        .all()
        .collectMap(CustomerOutcome::customerId, Function.identity())
        .map(byId -> clean.stream().filter(byId::containsKey).map(byId::get).toList());
  }

  static List<String> clean(List<String> ids) {
    if (ids.size() > MAX_IDS) {
      throw ApiException.badInput(
          "ids", "at most " + MAX_IDS + " ids", ids.size() + " ids in one call; page them");
    }
    return ids.stream()
        .map(i -> i.trim().toUpperCase(java.util.Locale.ROOT))
        .distinct()
        .collect(Collectors.toList());
  }
}
