package io.retain.customer.importing;

import static io.retain.customer.importing.Field.Kind.AMOUNT;
import static io.retain.customer.importing.Field.Kind.BOOL;
import static io.retain.customer.importing.Field.Kind.CSAT;
import static io.retain.customer.importing.Field.Kind.DATE;
import static io.retain.customer.importing.Field.Kind.INSTANT;
import static io.retain.customer.importing.Field.Kind.LIST;
import static io.retain.customer.importing.Field.Kind.NPS;
import static io.retain.customer.importing.Field.Kind.TEXT;

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
      null,
      List.of(
          Field.id("id"),
          Field.of("name", TEXT, true),
          Field.oneOf("kind", true, "INDIVIDUAL", "ENTERPRISE"),
          Field.of("industry", TEXT, true),
          Field.oneOf("valueTier", true, "KEY", "MAJOR", "ORDINARY", "SMALL"),
          Field.of("since", DATE, true),
          Field.of("region", TEXT, false),
          Field.of("size", TEXT, false),
          Field.of("ageBand", TEXT, false),
          Field.of("incomeBand", TEXT, false),
          Field.of("accountManager", TEXT, false),
          Field.of("contactName", TEXT, false),
          Field.of("phone", TEXT, false),
          Field.of("email", TEXT, false)),
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
      "customerId",
      List.of(
          Field.id("id"),
          Field.id("customerId"),
          Field.of("placedAt", INSTANT, true),
          Field.of("amount", AMOUNT, true),
          Field.of("currency", TEXT, false),
          Field.of("channel", TEXT, false),
          Field.oneOf("status", false, "COMPLETED", "CANCELLED", "REFUNDED"),
          Field.of("test", BOOL, false)),
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
      """),
  TICKETS(
      "tickets",
      "customerId",
      List.of(
          Field.id("id"),
          Field.id("customerId"),
          Field.of("openedAt", INSTANT, true),
          Field.of("firstResponseAt", INSTANT, false),
          Field.of("resolvedAt", INSTANT, false),
          Field.of("category", TEXT, false),
          Field.of("complaint", BOOL, false),
          Field.of("severity", TEXT, false)),
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
      """),
  SURVEYS(
      "surveys",
      "customerId",
      List.of(
          // surveys often come without an id: customerId@answeredAt identifies an answer
          Field.of("id", Field.Kind.ID, false),
          Field.id("customerId"),
          Field.of("answeredAt", INSTANT, true),
          Field.of("score", NPS, true),
          Field.of("csat", CSAT, false),
          Field.of("comment", TEXT, false),
          Field.of("wouldMention", BOOL, false)),
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
      """),
  CHURN(
      "churn",
      "customerId",
      List.of(
          Field.id("customerId"),
          Field.of("churnedAt", DATE, true),
          Field.oneOf("type", true, "VOLUNTARY", "INVOLUNTARY"),
          Field.oneOf("causeClass", true, "NATURAL", "COMPETITIVE", "FAULT", "OTHER"),
          Field.of("reasons", LIST, false),
          Field.of("wonBackAt", DATE, false)),
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
      """);

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

  final String path;
  final String customerRef;
  final List<Field> fields;
  final String upsert;

  ImportEntity(String path, String customerRef, List<Field> fields, String upsert) {
    this.path = path;
    this.customerRef = customerRef;
    this.fields = fields;
    this.upsert = upsert;
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
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(field)) {
        return i;
      }
    }
    return -1;
  }
}
