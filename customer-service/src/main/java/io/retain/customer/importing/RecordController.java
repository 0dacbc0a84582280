package io.retain.customer.importing;

import io.retain.customer.importing.RecordService.CustomerPayload;
import io.retain.customer.importing.RecordService.ResubmitPayload;
import io.retain.support.graphql.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/**
 * Single-record writes and small batches over GraphQL: turns inputs into the import's text and
 * hands them to {@link RecordService} (or {@link ImportService} for a batch).
 */
@Controller
class RecordController {

  static final int MAX_BATCH_LINES = 5_000;

  private final ImportService imports;
  private final RecordService records;

  RecordController(ImportService imports, RecordService records) {
    this.imports = imports;
    this.records = records;
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> createCustomer(@Argument Map<String, Object> input) {
    return records.create(id(input.get("id")), text(input));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> updateCustomer(@Argument Map<String, Object> input) {
    return records.update(id(input.get("id")), text(input));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordOrder(@Argument Map<String, Object> input) {
    return records.write("orders", text(input), id(input.get("customerId")));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordTicket(@Argument Map<String, Object> input) {
    return records.write("tickets", text(input), id(input.get("customerId")));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordSurvey(@Argument Map<String, Object> input) {
    return records.write("surveys", text(input), id(input.get("customerId")));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordChurn(@Argument Map<String, Object> input) {
    return records.write("churn", text(input), id(input.get("customerId")));
  }

  @MutationMapping
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<CustomerPayload> recordWinBack(@Argument Map<String, Object> input) {
    return records.winBack(id(input.get("customerId")), String.valueOf(input.get("wonBackAt")));
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
    return records.resubmit(id, row);
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
