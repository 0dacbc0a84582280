package io.retain.retention.plan;

import io.retain.retention.customer.Customer;
import io.retain.retention.playbook.PlaybookRepository;
import io.retain.support.graphql.UserError;
import io.retain.support.paging.Keyset;
import io.retain.support.paging.Paging;
import io.retain.support.security.Caller;
import io.retain.support.security.Role;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Action plans over GraphQL: reads (ANALYST), life-cycle mutations (CAMPAIGN_MANAGER). */
@Controller
class PlanController {

  /** Key of the batched Customer.actionPlans loader: one customer, an optional status. */
  record CustomerPlansKey(String customerId, PlanStatus status) {}

  /** GraphQL filter input. */
  record ActionPlanFilter(
      String department, PlanStatus status, LocalDate dueBefore, Boolean overdue) {}

  /** A plan's measured outcome. */
  record PlanOutcome(Double observedValue, boolean met, OffsetDateTime evaluatedAt) {}

  record ChangeActionPlanStatusInput(String planId, PlanStatus status) {}

  record AssignActionPlanInput(String planId, String owner) {}

  record OpenActionPlanInput(
      String customerId,
      String tier,
      String problemCode,
      String problemMessage,
      String owner,
      LocalDate dueDate) {}

  /** Payload of every plan mutation: the plan, or why not. */
  record PlanPayload(ActionPlan plan, List<UserError> errors) {
    static PlanPayload ok(ActionPlan plan) {
      return new PlanPayload(plan, List.of());
    }

    static PlanPayload error(String code, String field, String message) {
      return new PlanPayload(null, List.of(UserError.of(code, field, message)));
    }
  }

  private static final String LOADER = "customerActionPlans";

  private final PlanRepository plans;
  private final PlaybookRepository playbooks;
  private final Clock clock;

  PlanController(
      PlanRepository plans,
      PlaybookRepository playbooks,
      Clock clock,
      BatchLoaderRegistry registry) {
    this.plans = plans;
    this.playbooks = playbooks;
    this.clock = clock;
    // one query per distinct status across all customers of the request
    registry
        .<CustomerPlansKey, List<ActionPlan>>forName(LOADER)
        .registerMappedBatchLoader(
            (keys, env) ->
                // ANALYST checked once per request here rather than by method security on each
                // customer's field (a SpEL check and an observation per customer)
                Caller.has(Role.ANALYST)
                    .flatMap(
                        ok ->
                            ok
                                ? loadByCustomer(keys)
                                : Mono.error(new AccessDeniedException("Access Denied"))));
  }

  private Mono<Map<CustomerPlansKey, List<ActionPlan>>> loadByCustomer(Set<CustomerPlansKey> keys) {
    Map<PlanStatus, List<String>> byStatus = new HashMap<>();
    for (CustomerPlansKey key : keys) {
      byStatus.computeIfAbsent(key.status(), s -> new ArrayList<>()).add(key.customerId());
    }
    Map<CustomerPlansKey, List<ActionPlan>> found = new HashMap<>();
    keys.forEach(k -> found.put(k, new ArrayList<>()));
    // one query per distinct status across all customers of the request
    return Flux.fromIterable(byStatus.entrySet())
        .concatMap(
            e ->
                plans
                    .findByCustomers(e.getValue(), e.getKey())
                    .doOnNext(
                        p -> found.get(new CustomerPlansKey(p.customerId(), e.getKey())).add(p)))
        .then(Mono.fromSupplier(() -> found));
  }

  /** Batched; the loader checks the ANALYST role. */
  @SchemaMapping(typeName = "Customer", field = "actionPlans")
  CompletableFuture<List<ActionPlan>> customerActionPlans(
      Customer customer,
      @Argument PlanStatus status,
      DataLoader<CustomerPlansKey, List<ActionPlan>> customerActionPlans) {
    return customerActionPlans.load(new CustomerPlansKey(customer.id(), status));
  }

  /** By due date, then id; Spring for GraphQL makes the connection from the window. */
  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Window<ActionPlan>> actionPlans(
      @Argument ActionPlanFilter filter, @Argument Integer first, ScrollSubrange after) {
    int size = Paging.first(first, 20);
    Keyset at = Paging.after(after, "dueDate", "id").orElse(null);
    LocalDate afterDue = at == null ? null : at.parse("dueDate", LocalDate::parse);
    Long afterId = at == null ? null : at.parse("id", Long::parseLong);
    ActionPlanFilter f = filter == null ? new ActionPlanFilter(null, null, null, null) : filter;
    var repoFilter =
        new PlanRepository.Filter(
            f.department(), f.status(), f.dueBefore(), Boolean.TRUE.equals(f.overdue()), today());
    return plans
        .page(repoFilter, afterDue, afterId, size + 1)
        .collectList()
        .map(
            rows ->
                Paging.window(rows, size, p -> Keyset.of("dueDate", p.dueDate(), "id", p.id())));
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<ActionPlan> actionPlan(@Argument String id) {
    Long planId = parseId(id);
    return planId == null ? Mono.empty() : plans.findById(planId);
  }

  @SchemaMapping(typeName = "ActionPlan")
  Customer customer(ActionPlan p) {
    return new Customer(p.customerId());
  }

  @SchemaMapping(typeName = "ActionPlan")
  String tierAtCreation(ActionPlan p) {
    return p.tier();
  }

  @SchemaMapping(typeName = "ActionPlan")
  boolean overdue(ActionPlan p) {
    return p.status().isOpen() && p.dueDate().isBefore(today());
  }

  @SchemaMapping(typeName = "ActionPlan")
  PlanOutcome outcome(ActionPlan p) {
    if (p.evaluatedAt() == null) {
      return null;
    }
    Double observed = p.observedValue() == null ? null : p.observedValue().doubleValue();
    return new PlanOutcome(observed, Boolean.TRUE.equals(p.effectMet()), p.evaluatedAt());
  }

  @MutationMapping
  @PreAuthorize("hasRole('CAMPAIGN_MANAGER')")
  Mono<PlanPayload> changeActionPlanStatus(@Argument ChangeActionPlanStatusInput input) {
    Long id = parseId(input.planId());
    if (id == null) {
      return Mono.just(notFound(input.planId()));
    }
    return plans
        .findById(id)
        .flatMap(
            current -> {
              if (!current.status().canMoveTo(input.status())) {
                return Mono.just(invalidTransition(current.status(), input.status()));
              }
              return plans
                  .changeStatus(id, current.status(), input.status(), OffsetDateTime.now(clock))
                  .map(PlanPayload::ok)
                  // someone else moved it between our read and write
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              plans
                                  .findById(id)
                                  .map(now -> invalidTransition(now.status(), input.status()))));
            })
        .defaultIfEmpty(notFound(input.planId()));
  }

  @MutationMapping
  @PreAuthorize("hasRole('CAMPAIGN_MANAGER')")
  Mono<PlanPayload> assignActionPlan(@Argument AssignActionPlanInput input) {
    Long id = parseId(input.planId());
    if (id == null) {
      return Mono.just(notFound(input.planId()));
    }
    if (input.owner().isBlank()) {
      return Mono.just(PlanPayload.error("BAD_USER_INPUT", "input.owner", "Must not be blank"));
    }
    return plans
        .assign(id, input.owner().strip(), OffsetDateTime.now(clock))
        .map(PlanPayload::ok)
        .defaultIfEmpty(notFound(input.planId()));
  }

  @MutationMapping
  @PreAuthorize("hasRole('CAMPAIGN_MANAGER')")
  Mono<PlanPayload> openActionPlan(@Argument OpenActionPlanInput input) {
    if (!Set.of("POTENTIAL_CHURN", "HIGH_RISK").contains(input.tier())) {
      return Mono.just(
          PlanPayload.error(
              "BAD_USER_INPUT", "input.tier", "Expected POTENTIAL_CHURN or HIGH_RISK"));
    }
    if (input.problemMessage().isBlank()) {
      return Mono.just(
          PlanPayload.error("BAD_USER_INPUT", "input.problemMessage", "Must not be blank"));
    }
    LocalDate due =
        input.dueDate() != null
            ? input.dueDate()
            : today().plusDays(input.tier().equals("HIGH_RISK") ? 7 : 14);
    OffsetDateTime now = OffsetDateTime.now(clock);
    return playbooks
        .snapshot()
        .flatMap(
            book -> {
              PlanDraft draft;
              if (input.problemCode().equals(PlanPolicy.playbookProblem(input.tier()))) {
                var p = book.tier(input.tier()).orElseThrow();
                draft =
                    new PlanDraft(
                        input.customerId(),
                        input.tier(),
                        input.problemCode(),
                        input.problemMessage(),
                        null,
                        p.strategyEn(),
                        p.strategyZh(),
                        p.departments().get(0),
                        due,
                        p.expectedEffect());
              } else {
                var m = book.measure(input.problemCode()).orElse(null);
                if (m == null) {
                  return Mono.just(
                      PlanPayload.error(
                          "BAD_USER_INPUT",
                          "input.problemCode",
                          "No measure for '"
                              + input.problemCode()
                              + "'; expected a mapped risk code or PLAYBOOK_"
                              + input.tier()));
                }
                draft =
                    new PlanDraft(
                        input.customerId(),
                        input.tier(),
                        input.problemCode(),
                        input.problemMessage(),
                        null,
                        m.measureEn(),
                        m.measureZh(),
                        m.department(),
                        due,
                        m.expectedEffect());
              }
              String owner = input.owner() == null ? null : input.owner().strip();
              return plans
                  .insertIfNoneOpen(draft, "MANUAL", owner, now)
                  .map(PlanPayload::ok)
                  .defaultIfEmpty(
                      PlanPayload.error(
                          "DUPLICATE_OPEN_PLAN",
                          "input.problemCode",
                          "Customer "
                              + input.customerId()
                              + " already has an open plan for "
                              + input.problemCode()));
            });
  }

  private LocalDate today() {
    return LocalDate.now(clock);
  }

  private static Long parseId(String id) {
    try {
      return Long.parseLong(Objects.requireNonNull(id));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static PlanPayload notFound(String id) {
    return PlanPayload.error("NOT_FOUND", "input.planId", "No action plan " + id);
  }

  private static PlanPayload invalidTransition(PlanStatus from, PlanStatus to) {
    return PlanPayload.error(
        "INVALID_TRANSITION",
        "input.status",
        "A "
            + from
            + " plan cannot move to "
            + to
            + "; allowed: PLANNED→IN_PROGRESS→DONE, PLANNED|IN_PROGRESS→CANCELLED");
  }
}
