package io.retain.customer.importing;

import io.retain.customer.profile.Customer;
import io.retain.support.graphql.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/**
 * Single-record writes and small batches over GraphQL. Each record goes through the same cleaning
 * and upsert as an imported row, so the two ways in can never disagree.
 */
@Controller
class RecordController {

  static final int MAX_BATCH_LINES = 5_000;

  private final ImportService imports;
  private final DatabaseClient db;

  RecordController(ImportService imports, DatabaseClient db) {
    this.imports = imports;
    this.db = db;
  }

  record InputError(String code, String field, String message) {}

  record CustomerPayload(Customer customer, List<InputError> errors) {}

  record ResubmitPayload(boolean resolved, List<InputError> errors) {}

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> createCustomer(@Argument Map<String, Object> input) {
    String id = id(input.get("id"));
    return exists("select 1 from customer where id = $1", id)
        .flatMap(
            taken ->
                taken
                    ? Mono.just(
                        failed(
                            new InputError(
                                "ALREADY_EXISTS", "id", "Customer " + id + " already exists")))
                    : write("customers", text(input), id));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> updateCustomer(@Argument Map<String, Object> input) {
    String id = id(input.get("id"));
    return db.sql(
            "select id, name, kind, industry, value_tier as \"valueTier\", since::text, region,"
                + " size, age_band as \"ageBand\", income_band as \"incomeBand\","
                + " account_manager as \"accountManager\", contact_name as \"contactName\","
                + " phone, email from customer where id = $1")
        .bind(0, id)
        .fetch()
        .one()
        .map(
            row -> {
              Map<String, String> merged = new LinkedHashMap<>();
              row.forEach((k, v) -> merged.put(k, v == null ? null : v.toString()));
              merged.putAll(text(input));
              return merged;
            })
        .flatMap(merged -> write("customers", merged, id))
        .defaultIfEmpty(notFound(id));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordOrder(@Argument Map<String, Object> input) {
    return write("orders", text(input), id(input.get("customerId")));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordTicket(@Argument Map<String, Object> input) {
    return write("tickets", text(input), id(input.get("customerId")));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordSurvey(@Argument Map<String, Object> input) {
    return write("surveys", text(input), id(input.get("customerId")));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordChurn(@Argument Map<String, Object> input) {
    return write("churn", text(input), id(input.get("customerId")));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordWinBack(@Argument Map<String, Object> input) {
    String id = id(input.get("customerId"));
    return db.sql(
            "select customer_id as \"customerId\", churned_at::text as \"churnedAt\", type,"
                + " cause_class as \"causeClass\", array_to_string(reasons, ';') as reasons"
                + " from churn_record where customer_id = $1")
        .bind(0, id)
        .fetch()
        .one()
        .flatMap(
            row -> {
              Map<String, String> churn = new LinkedHashMap<>();
              row.forEach((k, v) -> churn.put(k, v == null ? null : v.toString()));
              churn.put("wonBackAt", String.valueOf(input.get("wonBackAt")));
              return write("churn", churn, id);
            })
        .defaultIfEmpty(
            failed(new InputError("NOT_FOUND", "customerId", "Customer " + id + " has no churn")));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<ImportService.Result> importBatch(@Argument Map<String, Object> input) {
    String entityPath = String.valueOf(input.get("entity"));
    ImportEntity entity =
        ImportEntity.byPath(entityPath)
            .orElseThrow(
                () ->
                    ApiException.badInput(
                        "entity",
                        "customers, orders, tickets, surveys or churn",
                        "Unknown entity '" + entityPath + "'"));
    String[] lines = String.valueOf(input.get("ndjson")).split("\r?\n");
    if (lines.length > MAX_BATCH_LINES) {
      throw ApiException.badInput(
          "ndjson",
          "at most " + MAX_BATCH_LINES + " lines",
          "Use POST /import/" + entity.path + " for large files");
    }
    return imports
        .importLines(entity, ImportService.Format.NDJSON, lines)
        .onErrorMap(
            ImportService.ImportFailed.class,
            e ->
                new ApiException(
                    "IMPORT_FAILED", "ndjson", "a batch that can be written", e.getMessage()));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<ResubmitPayload> resubmitQuarantined(@Argument Map<String, Object> input) {
    long id;
    try {
      id = Long.parseLong(String.valueOf(input.get("id")));
    } catch (NumberFormatException e) {
      throw ApiException.badInput("id", "a quarantined row id", "Not a quarantined row id");
    }
    Map<String, String> row;
    try {
      row = imports.jsonValues(String.valueOf(input.get("row")));
    } catch (RuntimeException e) {
      throw ApiException.badInput("row", "a JSON object", "The corrected row is not a JSON object");
    }
    return db.sql("select entity from quarantine_row where id = $1 and resolved_at is null")
        .bind(0, id)
        .map((r, m) -> r.get("entity", String.class))
        .one()
        .flatMap(
            entity ->
                imports
                    .recordOne(entity, row)
                    .flatMap(
                        problems ->
                            problems.isEmpty()
                                ? db.sql(
                                        "update quarantine_row set resolved_at = now() where id = $1")
                                    .bind(0, id)
                                    .fetch()
                                    .rowsUpdated()
                                    .thenReturn(new ResubmitPayload(true, List.of()))
                                : Mono.just(new ResubmitPayload(false, errors(problems)))))
        .defaultIfEmpty(
            new ResubmitPayload(
                false,
                List.of(new InputError("NOT_FOUND", "id", "No open quarantined row " + id))));
  }

  private Mono<CustomerPayload> write(String entity, Map<String, String> values, String id) {
    return imports
        .recordOne(entity, values)
        .flatMap(
            problems ->
                problems.isEmpty()
                    ? db.sql("select * from customer where id = $1")
                        .bind(0, id)
                        .map((r, m) -> Customer.from(r))
                        .one()
                        .map(c -> new CustomerPayload(c, List.of()))
                    : Mono.just(new CustomerPayload(null, errors(problems))));
  }

  private static List<InputError> errors(List<ImportService.Quarantined> problems) {
    return problems.stream()
        .map(
            p ->
                new InputError(
                    p.reason().startsWith("missing ")
                        ? "MISSING"
                        : p.reason().startsWith("unknown customer") ? "NOT_FOUND" : "INVALID",
                    p.column(),
                    p.reason()))
        .toList();
  }

  private Mono<Boolean> exists(String sql, String id) {
    return db.sql(sql).bind(0, id).map((r, m) -> true).one().defaultIfEmpty(false);
  }

  private static CustomerPayload failed(InputError e) {
    return new CustomerPayload(null, List.of(e));
  }

  private static CustomerPayload notFound(String id) {
    return failed(new InputError("NOT_FOUND", "id", "No customer " + id));
  }

  private static String id(Object raw) {
    return raw == null ? "" : raw.toString().trim().toUpperCase(Locale.ROOT);
  }

  /** GraphQL input values as the import's text: ISO dates and instants, lists joined by ';'. */
  private static Map<String, String> text(Map<String, Object> input) {
    Map<String, String> out = new LinkedHashMap<>();
    input.forEach(
        (k, v) -> {
          if (v instanceof List<?> list) {
            out.put(k, String.join(";", list.stream().map(String::valueOf).toList()));
          } else if (v != null) {
            out.put(k, v.toString());
          }
        });
    return out;
  }
}
