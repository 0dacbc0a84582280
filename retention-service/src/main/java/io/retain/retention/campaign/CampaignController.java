package io.retain.retention.campaign;

import io.retain.retention.customer.Customer;
import io.retain.retention.remote.RemoteException;
import io.retain.support.graphql.ApiException;
import io.retain.support.paging.Keyset;
import io.retain.support.paging.Paging;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.dataloader.DataLoader;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
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
      Double holdoutShare) {

    /** The draft with the fields given here replaced; absent fields are kept. */
    CampaignDraft applyTo(CampaignDraft d) {
      return new CampaignDraft(
          or(name, d.name()),
          or(objective, d.objective()),
          or(target, d.target()),
          or(offer, d.offer()),
          or(channel, d.channel()),
          or(startDate, d.startDate()),
          or(endDate, d.endDate()),
          holdoutShare == null ? d.holdoutShare() : BigDecimal.valueOf(holdoutShare));
    }
  }

  record LaunchCampaignInput(String campaignId) {}

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

  private static final String LOADER = "customerCampaigns";

  private final CampaignRepository campaigns;
  private final CampaignLifecycle lifecycle;

  CampaignController(
      CampaignRepository campaigns, CampaignLifecycle lifecycle, BatchLoaderRegistry registry) {
    this.campaigns = campaigns;
    this.lifecycle = lifecycle;
    registry
        .<String, List<CampaignMembership>>forName(LOADER)
        .registerMappedBatchLoader((ids, env) -> lifecycle.memberships(ids));
  }

  @SchemaMapping(typeName = "Customer", field = "campaigns")
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<CampaignMembership>> customerCampaigns(
      Customer customer, DataLoader<String, List<CampaignMembership>> customerCampaigns) {
    // a Publisher, not the future itself: reactive method security requires one
    return Mono.fromFuture(customerCampaigns.load(customer.id()));
  }

  /** Newest first (by id); Spring for GraphQL makes the connection from the window. */
  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Window<Campaign>> campaigns(
      @Argument CampaignStatus status, @Argument Integer first, ScrollSubrange after) {
    int size = Paging.first(first, 20);
    Long beforeId = Paging.after(after, "id").map(k -> k.parse("id", Long::parseLong)).orElse(null);
    return campaigns
        .page(status, beforeId, size + 1)
        .collectList()
        .map(rows -> Paging.window(rows, size, c -> Keyset.of("id", c.key())));
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Campaign> campaign(@Argument String id) {
    Long campaignId = CampaignLifecycle.parseId(id);
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
    return lifecycle
        .results(c)
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
    return lifecycle.create(
        new CampaignDraft(
            input.name(),
            input.objective(),
            input.target(),
            input.offer(),
            input.channel(),
            input.startDate(),
            input.endDate(),
            BigDecimal.valueOf(input.holdoutShare())));
  }

  @MutationMapping
  @PreAuthorize("hasRole('CAMPAIGN_MANAGER')")
  Mono<CampaignPayload> updateCampaign(@Argument UpdateCampaignInput input) {
    return lifecycle.update(input.campaignId(), input::applyTo);
  }

  @MutationMapping
  @PreAuthorize("hasRole('CAMPAIGN_MANAGER')")
  Mono<CampaignPayload> launchCampaign(@Argument LaunchCampaignInput input) {
    return lifecycle.launch(input.campaignId());
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
