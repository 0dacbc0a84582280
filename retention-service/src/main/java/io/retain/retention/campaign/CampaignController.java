package io.retain.retention.campaign;

import io.retain.retention.customer.Customer;
import io.retain.retention.graphql.UserError;
import io.retain.retention.remote.RemoteException;
import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.dataloader.DataLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/** Campaigns over GraphQL: reads and results (ANALYST), create/update/launch (CAMPAIGN_MANAGER). */
@Controller
class CampaignController {

  record CreateCampaignInput(
      String name,
      String objective,
      CampaignTarget target,
      String offer,
      String channel,
      LocalDate startDate,
      LocalDate endDate,
      Double holdoutShare) {}

  record UpdateCampaignInput(
      String campaignId,
      String name,
      String objective,
      CampaignTarget target,
      String offer,
      String channel,
      LocalDate startDate,
      LocalDate endDate,
      Double holdoutShare) {}

  record LaunchCampaignInput(String campaignId) {}

  /** Payload of every campaign mutation: the campaign, or why not. */
  record CampaignPayload(Campaign campaign, List<UserError> errors) {
    static CampaignPayload ok(Campaign c) {
      return new CampaignPayload(c, List.of());
    }

    static CampaignPayload error(UserError e) {
      return new CampaignPayload(null, List.of(e));
    }
  }

  /** A customer's place in a campaign. */
  record CampaignMembership(Campaign campaign, CampaignAssignment assignment) {}

  /** One metric of the results. */
  record MetricUplift(
      String metric,
      double value,
      double baseline,
      int n,
      int baselineN,
      double uplift,
      Double ciLow,
      Double ciHigh) {
    static MetricUplift of(Uplift u) {
      return new MetricUplift(
          u.metric(), u.valueA(), u.valueB(), u.nA(), u.nB(), u.uplift(), u.ciLow(), u.ciHigh());
    }
  }

  /** The results as served. */
  record CampaignResultsView(
      LocalDate periodFrom,
      LocalDate periodTo,
      LocalDate beforeFrom,
      LocalDate beforeTo,
      List<MetricUplift> treatmentVsHoldout,
      List<MetricUplift> afterVsBefore) {
    static CampaignResultsView of(CampaignResults r) {
      return new CampaignResultsView(
          r.periodFrom(),
          r.periodTo(),
          r.beforeFrom(),
          r.beforeTo(),
          r.treatmentVsHoldout().stream().map(MetricUplift::of).toList(),
          r.afterVsBefore().stream().map(MetricUplift::of).toList());
    }
  }

  record Connection(List<Edge> edges, PageInfo pageInfo) {}

  record Edge(String cursor, Campaign node) {}

  record PageInfo(boolean hasNextPage, String endCursor) {}

  private static final Logger log = LoggerFactory.getLogger(CampaignController.class);
  private static final String LOADER = "customerCampaigns";
  private static final int MAX_PAGE = 200;

  private final CampaignRepository campaigns;
  private final CampaignTargeting targeting;
  private final CampaignEvaluator evaluator;
  private final TransactionalOperator tx;
  private final Clock clock;

  CampaignController(
      CampaignRepository campaigns,
      CampaignTargeting targeting,
      CampaignEvaluator evaluator,
      TransactionalOperator tx,
      Clock clock,
      BatchLoaderRegistry registry) {
    this.campaigns = campaigns;
    this.targeting = targeting;
    this.evaluator = evaluator;
    this.tx = tx;
    this.clock = clock;
    // two queries per request, whatever the number of customers
    registry
        .<String, List<CampaignMembership>>forName(LOADER)
        .registerMappedBatchLoader((ids, env) -> loadMemberships(ids));
  }

  private Mono<Map<String, List<CampaignMembership>>> loadMemberships(Set<String> customerIds) {
    return campaigns
        .membershipsOf(customerIds)
        .collectList()
        .flatMap(
            members ->
                campaigns
                    .findByIds(
                        members.stream()
                            .map(CampaignRepository.Member::campaignId)
                            .distinct()
                            .toList())
                    .collectMap(Campaign::id, Function.identity())
                    .map(
                        byId -> {
                          Map<String, List<CampaignMembership>> found = new HashMap<>();
                          customerIds.forEach(id -> found.put(id, new ArrayList<>()));
                          for (var m : members) {
                            found
                                .get(m.customerId())
                                .add(
                                    new CampaignMembership(
                                        byId.get(m.campaignId()), m.assignment()));
                          }
                          return found;
                        }));
  }

  @SchemaMapping(typeName = "Customer", field = "campaigns")
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<CampaignMembership>> customerCampaigns(
      Customer customer, DataLoader<String, List<CampaignMembership>> customerCampaigns) {
    // a Publisher, not the future itself: reactive method security requires one
    return Mono.fromFuture(customerCampaigns.load(customer.id()));
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Connection> campaigns(
      @Argument CampaignStatus status, @Argument Integer first, @Argument String after) {
    int size = first == null ? 20 : first;
    if (size < 1 || size > MAX_PAGE) {
      throw ApiException.badInput("first", "1.." + MAX_PAGE, "first must be 1.." + MAX_PAGE);
    }
    Long beforeId = null;
    if (after != null) {
      beforeId = parseId(Cursors.decode(after, "after"));
      if (beforeId == null) {
        throw ApiException.badInput(
            "after", "a cursor returned by this API", "Cursor '" + after + "' is not valid");
      }
    }
    return campaigns
        .page(status, beforeId, size + 1)
        .collectList()
        .map(
            rows -> {
              List<Edge> edges =
                  rows.stream().limit(size).map(c -> new Edge(Cursors.encode(c.key()), c)).toList();
              String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
              return new Connection(edges, new PageInfo(rows.size() > size, end));
            });
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Campaign> campaign(@Argument String id) {
    Long campaignId = parseId(id);
    return campaignId == null ? Mono.empty() : campaigns.findById(campaignId);
  }

  @SchemaMapping(typeName = "Campaign")
  String id(Campaign c) {
    return c.key();
  }

  @SchemaMapping(typeName = "Campaign")
  String name(Campaign c) {
    return c.draft().name();
  }

  @SchemaMapping(typeName = "Campaign")
  String objective(Campaign c) {
    return c.draft().objective();
  }

  @SchemaMapping(typeName = "Campaign")
  CampaignTarget target(Campaign c) {
    return c.draft().target();
  }

  @SchemaMapping(typeName = "Campaign")
  String offer(Campaign c) {
    return c.draft().offer();
  }

  @SchemaMapping(typeName = "Campaign")
  String channel(Campaign c) {
    return c.draft().channel();
  }

  @SchemaMapping(typeName = "Campaign")
  LocalDate startDate(Campaign c) {
    return c.draft().startDate();
  }

  @SchemaMapping(typeName = "Campaign")
  LocalDate endDate(Campaign c) {
    return c.draft().endDate();
  }

  @SchemaMapping(typeName = "Campaign")
  double holdoutShare(Campaign c) {
    return c.draft().holdoutShare().doubleValue();
  }

  @SchemaMapping(typeName = "Campaign")
  Mono<CampaignResultsView> results(Campaign c) {
    return evaluator
        .results(c, LocalDate.now(clock))
        .map(CampaignResultsView::of)
        // the campaign itself is still served; only this field fails, with a clear code
        .onErrorMap(
            RemoteException.class,
            e ->
                new ApiException(
                    "REMOTE_UNAVAILABLE",
                    "results",
                    "customer-service reachable",
                    "Campaign results need customer-service, which is unavailable; try again"
                        + " later"));
  }

  @MutationMapping
  @PreAuthorize("hasRole('CAMPAIGN_MANAGER')")
  Mono<CampaignPayload> createCampaign(@Argument CreateCampaignInput input) {
    CampaignDraft draft =
        new CampaignDraft(
            input.name(),
            input.objective(),
            input.target(),
            input.offer(),
            input.channel(),
            input.startDate(),
            input.endDate(),
            share(input.holdoutShare()));
    List<UserError> errors = CampaignRules.validate(draft);
    if (!errors.isEmpty()) {
      return Mono.just(new CampaignPayload(null, errors));
    }
    return campaigns.insert(draft, OffsetDateTime.now(clock)).map(CampaignPayload::ok);
  }

  @MutationMapping
  @PreAuthorize("hasRole('CAMPAIGN_MANAGER')")
  Mono<CampaignPayload> updateCampaign(@Argument UpdateCampaignInput input) {
    Long id = parseId(input.campaignId());
    if (id == null) {
      return Mono.just(notFound(input.campaignId()));
    }
    return campaigns
        .findById(id)
        .flatMap(
            current -> {
              if (current.status() != CampaignStatus.DRAFT) {
                return Mono.just(notDraft(current));
              }
              CampaignDraft d = current.draft();
              CampaignDraft merged =
                  new CampaignDraft(
                      or(input.name(), d.name()),
                      or(input.objective(), d.objective()),
                      input.target() == null ? d.target() : input.target(),
                      or(input.offer(), d.offer()),
                      or(input.channel(), d.channel()),
                      or(input.startDate(), d.startDate()),
                      or(input.endDate(), d.endDate()),
                      input.holdoutShare() == null
                          ? d.holdoutShare()
                          : share(input.holdoutShare()));
              List<UserError> errors = CampaignRules.validate(merged);
              if (!errors.isEmpty()) {
                return Mono.just(new CampaignPayload(null, errors));
              }
              return campaigns
                  .updateDraft(id, merged, OffsetDateTime.now(clock))
                  .map(CampaignPayload::ok)
                  // launched between our read and write
                  .switchIfEmpty(Mono.defer(() -> campaigns.findById(id).map(this::notDraft)));
            })
        .defaultIfEmpty(notFound(input.campaignId()));
  }

  @MutationMapping
  @PreAuthorize("hasRole('CAMPAIGN_MANAGER')")
  Mono<CampaignPayload> launchCampaign(@Argument LaunchCampaignInput input) {
    Long id = parseId(input.campaignId());
    if (id == null) {
      return Mono.just(notFound(input.campaignId()));
    }
    return campaigns
        .findById(id)
        .flatMap(
            current ->
                current.status() != CampaignStatus.DRAFT
                    ? Mono.just(notDraft(current))
                    : targeting
                        .resolve(current.draft().target())
                        .flatMap(ids -> launch(current, ids))
                        // nothing was written: the target is resolved before the transaction
                        .onErrorResume(
                            RemoteException.class,
                            e ->
                                refused(e)
                                    .thenReturn(
                                        CampaignPayload.error(
                                            new UserError(
                                                "REMOTE_UNAVAILABLE",
                                                "input.campaignId",
                                                (e.service().equals("scoring")
                                                        ? "scoring-service"
                                                        : "customer-service")
                                                    + " could not resolve the target; nothing was"
                                                    + " launched, try again later",
                                                "scoring-service and customer-service reachable")))))
        .defaultIfEmpty(notFound(input.campaignId()));
  }

  private static Mono<Void> refused(RemoteException e) {
    log.warn("campaign launch refused: {}", e.getMessage());
    return Mono.empty();
  }

  private Mono<CampaignPayload> launch(Campaign c, List<String> customerIds) {
    if (customerIds.isEmpty()) {
      return Mono.just(
          CampaignPayload.error(
              new UserError(
                  "EMPTY_TARGET",
                  "input.campaignId",
                  "No customer matches the target; nothing was launched",
                  "a target that matches at least one customer")));
    }
    double share = c.draft().holdoutShare().doubleValue();
    List<CampaignRepository.Member> members =
        customerIds.stream()
            .map(
                cid ->
                    new CampaignRepository.Member(
                        c.id(),
                        cid,
                        Holdout.inHoldout(c.key(), cid, share)
                            ? CampaignAssignment.HOLDOUT
                            : CampaignAssignment.TREATMENT))
            .toList();
    return campaigns
        .markLaunched(c.id(), OffsetDateTime.now(clock))
        .flatMap(
            launched ->
                launched
                    ? campaigns.insertMembers(c.id(), members).thenReturn(true)
                    : Mono.just(false))
        .as(tx::transactional)
        .flatMap(
            launched ->
                campaigns
                    .findById(c.id())
                    .map(now -> launched ? CampaignPayload.ok(now) : notDraft(now)));
  }

  private static BigDecimal share(Double value) {
    return BigDecimal.valueOf(value);
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }

  private static Long parseId(String id) {
    try {
      return Long.parseLong(id);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private CampaignPayload notDraft(Campaign c) {
    return CampaignPayload.error(
        new UserError(
            "NOT_DRAFT",
            "input.campaignId",
            "Campaign "
                + c.key()
                + " is "
                + c.status()
                + "; only a DRAFT can be edited or launched",
            "a DRAFT campaign"));
  }

  private static CampaignPayload notFound(String id) {
    return CampaignPayload.error(
        new UserError("NOT_FOUND", "input.campaignId", "No campaign " + id, "an existing id"));
  }
}
