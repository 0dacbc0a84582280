package io.retain.customer.importing;

import io.retain.customer.profile.Customer;
import io.retain.support.graphql.UserError;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Single-record writes: each record goes through the same cleaning and upsert as an imported row
 * ({@link ImportService#recordOne}), so the two ways in can never disagree; problems come back as
 * field errors instead of quarantined rows.
 */
@Service
class RecordService {

  record CustomerPayload(Customer customer, List<UserError> errors) {}

  record ResubmitPayload(boolean resolved, List<UserError> errors) {}

  private final ImportService imports;
  private final RecordRepository records;
  private final QuarantineRepository quarantine;

  RecordService(ImportService imports, RecordRepository records, QuarantineRepository quarantine) {
    this.imports = imports;
    this.records = records;
    this.quarantine = quarantine;
  }

  /** Creates a customer; ALREADY_EXISTS if the id is taken. */
  Mono<CustomerPayload> create(String id, Map<String, String> values) {
    return records
        .customerExists(id)
        .flatMap(
            taken ->
                taken
                    ? Mono.just(
                        failed(
                            UserError.of(
                                "ALREADY_EXISTS", "id", "Customer " + id + " already exists")))
                    : write("customers", values, id));
  }

  /** Changes the given fields of a stored customer, keeping the others; NOT_FOUND if none. */
  Mono<CustomerPayload> update(String id, Map<String, String> changes) {
    return records
        .customerValues(id)
        .map(
            merged -> {
              merged.putAll(changes);
              return merged;
            })
        .flatMap(merged -> write("customers", merged, id))
        .defaultIfEmpty(failed(UserError.of("NOT_FOUND", "id", "No customer " + id)));
  }

  /** Marks a customer's stored churn as won back; NOT_FOUND if the customer has no churn. */
  Mono<CustomerPayload> winBack(String customerId, String wonBackAt) {
    return records
        .churnValues(customerId)
        .flatMap(
            churn -> {
              churn.put("wonBackAt", wonBackAt);
              return write("churn", churn, customerId);
            })
        .defaultIfEmpty(
            failed(
                UserError.of(
                    "NOT_FOUND", "customerId", "Customer " + customerId + " has no churn")));
  }

  /** Re-submits a corrected quarantined row; the row is resolved only if it is now written. */
  Mono<ResubmitPayload> resubmit(long id, Map<String, String> row) {
    return quarantine
        .openEntity(id)
        .flatMap(
            entity ->
                imports
                    .recordOne(entity, row)
                    .flatMap(
                        problems ->
                            problems.isEmpty()
                                ? quarantine
                                    .resolve(id)
                                    .thenReturn(new ResubmitPayload(true, List.of()))
                                : Mono.just(new ResubmitPayload(false, errors(problems)))))
        .defaultIfEmpty(
            new ResubmitPayload(
                false, List.of(UserError.of("NOT_FOUND", "id", "No open quarantined row " + id))));
  }

  /** Writes one record of an entity and answers with the customer it belongs to. */
  Mono<CustomerPayload> write(String entity, Map<String, String> values, String customerId) {
    return imports
        .recordOne(entity, values)
        .flatMap(
            problems ->
                problems.isEmpty()
                    ? records.customer(customerId).map(c -> new CustomerPayload(c, List.of()))
                    : Mono.just(new CustomerPayload(null, errors(problems))));
  }

  private static List<UserError> errors(List<ImportService.Quarantined> problems) {
    return problems.stream()
        .map(
            p ->
                UserError.of(
                    p.reason().startsWith("missing ")
                        ? "MISSING"
                        : p.reason().startsWith("unknown customer") ? "NOT_FOUND" : "INVALID",
                    p.column(),
                    p.reason()))
        .toList();
  }

  private static CustomerPayload failed(UserError e) {
    return new CustomerPayload(null, List.of(e));
  }
}
