package io.retain.customer.importing;

import io.retain.customer.profile.Customer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * What single-record writes read before and after writing: stored records as the import's text
 * (keys are the import's column names), so a partial update can be merged and re-written.
 */
@Repository
class RecordRepository {

  private final DatabaseClient db;

  RecordRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Boolean> customerExists(String id) {
    return db.sql("select 1 from customer where id = $1")
        .bind(0, id)
        .map((r, m) -> true)
        .one()
        .defaultIfEmpty(false);
  }

  /** A stored customer as an import row; empty if there is none. */
  Mono<Map<String, String>> customerValues(String id) {
    return values(
        "select id, name, kind, industry, value_tier as \"valueTier\", since::text, region,"
            + " size, age_band as \"ageBand\", income_band as \"incomeBand\","
            + " account_manager as \"accountManager\", contact_name as \"contactName\","
            + " phone, email from customer where id = $1",
        id);
  }

  /** A customer's stored churn record as an import row; empty if the customer has none. */
  Mono<Map<String, String>> churnValues(String customerId) {
    return values(
        "select customer_id as \"customerId\", churned_at::text as \"churnedAt\", type,"
            + " cause_class as \"causeClass\", array_to_string(reasons, ';') as reasons"
            + " from churn_record where customer_id = $1",
        customerId);
  }

  Mono<Customer> customer(String id) {
    return db.sql("select * from customer where id = $1")
        .bind(0, id)
        .map((r, m) -> Customer.from(r))
        .one();
  }

  private Mono<Map<String, String>> values(String sql, String id) {
    return db.sql(sql)
        .bind(0, id)
        .fetch()
        .one()
        .map(
            row -> {
              Map<String, String> text = new LinkedHashMap<>();
              row.forEach((k, v) -> text.put(k, v == null ? null : v.toString()));
              return text;
            });
  }
}
