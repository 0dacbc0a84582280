package io.retain.customer.importing;

import static io.retain.customer.importing.Field.Kind.AMOUNT;
import static io.retain.customer.importing.Field.Kind.BOOL;
import static io.retain.customer.importing.Field.Kind.CSAT;
import static io.retain.customer.importing.Field.Kind.DATE;
import static io.retain.customer.importing.Field.Kind.INSTANT;
import static io.retain.customer.importing.Field.Kind.LIST;
import static io.retain.customer.importing.Field.Kind.NPS;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What can be imported, the columns of each (the CSV header names and NDJSON keys), and the upsert
 * that writes a batch. Upserts change a row only when a value differs, so importing the same file
 * twice changes nothing and appends nothing to the activity feed.
 */
enum ImportEntity {
  CUSTOMERS(
      "customers",
      "customer",
      null,
      List.of(
          Field.id("id", "id"),
          // a btree index on lower(name): 512 characters are at most 2,048 bytes, inside the
          // index's 2,704-byte row limit
          Field.text("name", "name", true, 512),
          Field.oneOf("kind", "kind", true, "INDIVIDUAL", "ENTERPRISE"),
          Field.text("industry", "industry", true, 64),
          Field.oneOf("valueTier", "value_tier", true, "KEY", "MAJOR", "ORDINARY", "SMALL"),
          Field.of("since", "since", DATE, true),
          Field.text("region", "region", false, 64),
          Field.text("size", "size", false, 32),
          Field.text("ageBand", "age_band", false, 16),
          Field.text("incomeBand", "income_band", false, 16),
          Field.text("accountManager", "account_manager", false, 128),
          Field.text("contactName", "contact_name", false, Field.TEXT_CHARS),
          Field.text("phone", "phone", false, Field.TEXT_CHARS),
          Field.text("email", "email", false, Field.TEXT_CHARS)),
      """
      with r as (
        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
          $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
          as r(id, name, kind, industry, value_tier, since, region, size, age_band, income_band,
               account_manager, contact_name, phone, email)),
      old as (select c.id, c.account_manager from customer c join r using (id)),
      up as (
        insert into customer as c (id, name, kind, industry, value_tier, since, region, size, age_band,
            income_band, account_manager, contact_name, phone, email)
        select id, name, kind, industry, value_tier, since::date, region, size, age_band, income_band,
               account_manager, contact_name, phone, email from r
        on conflict (id) do update set
          name = excluded.name, kind = excluded.kind, industry = excluded.industry,
          value_tier = excluded.value_tier, since = excluded.since, region = excluded.region,
          size = excluded.size, age_band = excluded.age_band, income_band = excluded.income_band,
          account_manager = excluded.account_manager,
          account_manager_changed_at = case
            when c.account_manager is distinct from excluded.account_manager then current_date
            else c.account_manager_changed_at end,
          contact_name = excluded.contact_name, phone = excluded.phone, email = excluded.email,
          updated_at = now()
        where (c.name, c.kind, c.industry, c.value_tier, c.since, c.region, c.size, c.age_band,
               c.income_band, c.account_manager, c.contact_name, c.phone, c.email)
          is distinct from
              (excluded.name, excluded.kind, excluded.industry, excluded.value_tier, excluded.since,
               excluded.region, excluded.size, excluded.age_band, excluded.income_band,
               excluded.account_manager, excluded.contact_name, excluded.phone, excluded.email)
        returning id as customer_id, account_manager),
      hist as (
        insert into account_manager_change (customer_id, changed_at, from_manager, to_manager)
        select up.customer_id, current_date, old.account_manager, up.account_manager
        from up join old on old.id = up.customer_id
        where old.account_manager is distinct from up.account_manager)
      insert into activity_change (customer_id) select customer_id from up
      """),
  ORDERS(
      "orders",
      "customer_order",
      "customerId",
      List.of(
          Field.id("id", "id"),
          Field.id("customerId", "customer_id"),
          Field.of("placedAt", "placed_at", INSTANT, true),
          Field.of("amount", "amount", AMOUNT, true),
          Field.text("currency", "currency", false, 3),
          Field.text("channel", "channel", false, 32),
          Field.oneOf("status", "status", false, "COMPLETED", "CANCELLED", "REFUNDED"),
          Field.of("test", "test", BOOL, false)),
      """
      with r as (
        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
          $7::text[], $8::text[]) as r(id, customer_id, placed_at, amount, currency, channel, status, test)),
      up as (
        insert into customer_order as o (id, customer_id, placed_at, amount, currency, channel, status, test)
        select id, customer_id, placed_at::timestamptz, amount::numeric, coalesce(currency, 'CNY'),
               channel, coalesce(status, 'COMPLETED'), coalesce(test::boolean, false) from r
        on conflict (id) do update set
          customer_id = excluded.customer_id, placed_at = excluded.placed_at, amount = excluded.amount,
          currency = excluded.currency, channel = excluded.channel, status = excluded.status,
          test = excluded.test
        where (o.customer_id, o.placed_at, o.amount, o.currency, o.channel, o.status, o.test)
          is distinct from (excluded.customer_id, excluded.placed_at, excluded.amount,
                            excluded.currency, excluded.channel, excluded.status, excluded.test)
        returning customer_id)
      insert into activity_change (customer_id) select distinct customer_id from up
      """) {
    @Override
    int batchSize() {
      return COPY_CHUNK;
    }

    @Override
    String plan() {
      return PLAN;
    }

    @Override
    boolean copies() {
      return true;
    }
  },
  TICKETS(
      "tickets",
      "service_ticket",
      "customerId",
      List.of(
          Field.id("id", "id"),
          Field.id("customerId", "customer_id"),
          Field.of("openedAt", "opened_at", INSTANT, true),
          Field.of("firstResponseAt", "first_response_at", INSTANT, false),
          Field.of("resolvedAt", "resolved_at", INSTANT, false),
          Field.text("category", "category", false, 64),
          Field.of("complaint", "complaint", BOOL, false),
          Field.text("severity", "severity", false, 16)),
      """
      with r as (
        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
          $7::text[], $8::text[]) as r(id, customer_id, opened_at, first_response_at, resolved_at,
                                       category, complaint, severity)),
      up as (
        insert into service_ticket as t (id, customer_id, opened_at, first_response_at, resolved_at,
                                         category, complaint, severity)
        select id, customer_id, opened_at::timestamptz, first_response_at::timestamptz,
               resolved_at::timestamptz, category, coalesce(complaint::boolean, false), severity from r
        on conflict (id) do update set
          customer_id = excluded.customer_id, opened_at = excluded.opened_at,
          first_response_at = excluded.first_response_at, resolved_at = excluded.resolved_at,
          category = excluded.category, complaint = excluded.complaint, severity = excluded.severity
        where (t.customer_id, t.opened_at, t.first_response_at, t.resolved_at, t.category,
               t.complaint, t.severity)
          is distinct from (excluded.customer_id, excluded.opened_at, excluded.first_response_at,
                            excluded.resolved_at, excluded.category, excluded.complaint,
                            excluded.severity)
        returning customer_id)
      insert into activity_change (customer_id) select distinct customer_id from up
      """) {
    @Override
    void check(String[] v) throws Field.BadValue {
      notBefore(v, 3, 2);
      notBefore(v, 4, 2);
    }
  },
  SURVEYS(
      "surveys",
      "survey_response",
      "customerId",
      List.of(
          // surveys often come without an id: customerId@answeredAt identifies an answer (64 +
          // 1 + an instant's 30 fit the column's 128)
          new Field("id", "id", Field.Kind.ID, false, java.util.Set.of(), 128),
          Field.id("customerId", "customer_id"),
          Field.of("answeredAt", "answered_at", INSTANT, true),
          Field.of("score", "nps", NPS, true),
          Field.of("csat", "csat", CSAT, false),
          Field.text("comment", "comment", false, Field.TEXT_CHARS),
          Field.of("wouldMention", "would_mention", BOOL, false)),
      """
      with r as (
        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
          $7::text[]) as r(id, customer_id, answered_at, nps, csat, comment, would_mention)),
      up as (
        insert into survey_response as s (id, customer_id, answered_at, nps, csat, comment, would_mention)
        select coalesce(id, customer_id || '@' || answered_at), customer_id, answered_at::timestamptz,
               nps::smallint, csat::smallint, comment, would_mention::boolean from r
        on conflict (id) do update set
          customer_id = excluded.customer_id, answered_at = excluded.answered_at, nps = excluded.nps,
          csat = excluded.csat, comment = excluded.comment, would_mention = excluded.would_mention
        where (s.customer_id, s.answered_at, s.nps, s.csat, s.comment, s.would_mention)
          is distinct from (excluded.customer_id, excluded.answered_at, excluded.nps, excluded.csat,
                            excluded.comment, excluded.would_mention)
        returning customer_id)
      insert into activity_change (customer_id) select distinct customer_id from up
      """) {
    @Override
    String key(String[] v) {
      return v[0] != null ? v[0] : v[1] + "@" + v[2];
    }
  },
  CHURN(
      "churn",
      "churn_record",
      "customerId",
      List.of(
          Field.id("customerId", "customer_id"),
          Field.of("churnedAt", "churned_at", DATE, true),
          Field.oneOf("type", "type", true, "VOLUNTARY", "INVOLUNTARY"),
          Field.oneOf(
              "causeClass", "cause_class", true, "NATURAL", "COMPETITIVE", "FAULT", "OTHER"),
          Field.of("reasons", "reasons", LIST, false),
          Field.of("wonBackAt", "won_back_at", DATE, false)),
      """
      with r as (
        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
          as r(customer_id, churned_at, type, cause_class, reasons, won_back_at)),
      up as (
        insert into churn_record as h (customer_id, churned_at, type, cause_class, reasons, won_back_at)
        select customer_id, churned_at::date, type, cause_class,
               coalesce(string_to_array(reasons, ';'), '{}'), won_back_at::date from r
        on conflict (customer_id) do update set
          churned_at = excluded.churned_at, type = excluded.type, cause_class = excluded.cause_class,
          reasons = excluded.reasons, won_back_at = excluded.won_back_at
        where (h.churned_at, h.type, h.cause_class, h.reasons, h.won_back_at)
          is distinct from (excluded.churned_at, excluded.type, excluded.cause_class,
                            excluded.reasons, excluded.won_back_at)
        returning customer_id, won_back_at),
      st as (
        update customer c set status = case when up.won_back_at is null then 'CHURNED' else 'ACTIVE' end,
                              updated_at = now()
        from up where c.id = up.customer_id returning c.id)
      insert into activity_change (customer_id) select customer_id from up
      """) {
    @Override
    void check(String[] v) throws Field.BadValue {
      if (v[4] != null) {
        List<String> codes = new java.util.ArrayList<>();
        for (String c : v[4].split("[;,]")) {
          String code = c.trim().toUpperCase(Locale.ROOT);
          if (code.isEmpty()) {
            continue;
          }
          if (!REASONS.contains(code)) {
            throw new Field.BadValue(
                "reasons", "unknown churn reason '" + Field.shown(c.trim()) + "'");
          }
          codes.add(code);
        }
        v[4] = String.join(";", codes);
      }
      notBefore(v, 5, 1);
    }
  };

  /** Churn reason codes (DOMAIN.md §2). */
  static final java.util.Set<String> REASONS =
      java.util.Set.of(
          "PRODUCT_QUALITY",
          "SERVICE_LEVEL",
          "SLOW_PRODUCT_UPDATES",
          "PRICE_TOO_HIGH",
          "INSUFFICIENT_DISCOUNT",
          "PRICE_VOLATILITY",
          "COMPETITOR_INNOVATION",
          "COMPETITOR_PRICE",
          "COMPETITOR_MARKETING",
          "NEEDS_CHANGED",
          "BRAND_LOYALTY_DECLINE",
          "FORCE_MAJEURE",
          "POOR_COMMUNICATION",
          "NO_PERSONALIZATION",
          "ACCOUNT_MANAGER_LEFT",
          "BROKEN_PROMISE",
          "CHANNEL_CONFLICT",
          "RELOCATION",
          "NON_PAYMENT",
          "OTHER");

  /** Rows per batch for the upserting entities. */
  static final int BATCH = 5000;

  /** Rows per COPY for orders. */
  static final int COPY_CHUNK = 20_000;

  /**
   * An order import's statements look up a batch's ids in large tables by primary key, so index
   * probes are always the plan: without this the planner scanned the whole of customer_order for a
   * 20,000-element {@code = any(…)}, once per batch. (Other entities keep the planner's choice:
   * their customer upsert joins two CTEs, which wants a hash.)
   */
  static final String PLAN = "set local enable_hashjoin = off; set local enable_mergejoin = off";

  final String path;
  final String table;
  final String customerRef;
  final int refIndex;
  final List<Field> fields;
  final String upsert;
  private final int idIndex;

  ImportEntity(String path, String table, String customerRef, List<Field> fields, String upsert) {
    this.path = path;
    this.table = table;
    this.customerRef = customerRef;
    this.fields = fields;
    this.upsert = upsert;
    this.refIndex = customerRef == null ? -1 : indexIn(fields, customerRef);
    // churn has no id: a customer has one churn record
    this.idIndex = Math.max(0, indexIn(fields, "id"));
  }

  /** Rows written per statement (and parsed ahead of the writer). */
  int batchSize() {
    return BATCH;
  }

  /** Planner settings for the import's transaction, or null for the defaults. */
  String plan() {
    return null;
  }

  /** Whether new rows go by COPY ({@link OrderCopy}) rather than the upsert. */
  boolean copies() {
    return false;
  }

  /** What identifies a row: within one batch the last row for a key wins. */
  String key(String[] v) {
    return v[idIndex];
  }

  /**
   * Checks across a cleaned row's values (and normalises them in place); throws for an implausible
   * combination.
   */
  void check(String[] v) throws Field.BadValue {}

  /** Refuses {@code v[later]} before {@code v[earlier]} (ISO dates or instants, either absent). */
  final void notBefore(String[] v, int later, int earlier) throws Field.BadValue {
    if (v[later] == null || v[earlier] == null) {
      return;
    }
    boolean before =
        v[later].length() == 10
            ? java.time.LocalDate.parse(v[later]).isBefore(java.time.LocalDate.parse(v[earlier]))
            : java.time.Instant.parse(v[later]).isBefore(java.time.Instant.parse(v[earlier]));
    if (before) {
      String name = fields.get(later).name();
      throw new Field.BadValue(
          name,
          name + " " + v[later] + " is before " + fields.get(earlier).name() + " " + v[earlier]);
    }
  }

  static Optional<ImportEntity> byPath(String path) {
    for (ImportEntity e : values()) {
      if (e.path.equals(path.toLowerCase(Locale.ROOT))) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  int indexOf(String field) {
    return indexIn(fields, field);
  }

  private static int indexIn(List<Field> fields, String field) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(field)) {
        return i;
      }
    }
    return -1;
  }
}
