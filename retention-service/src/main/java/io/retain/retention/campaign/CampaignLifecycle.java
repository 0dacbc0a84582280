package io.retain.retention.campaign;

import io.retain.retention.remote.RemoteException;
import io.retain.support.graphql.UserError;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * A campaign's life: created and edited as a DRAFT, launched once (target resolved, members
 * assigned to treatment or holdout in one transaction), then measured. Expected refusals are typed
 * errors in the payload, never exceptions.
 */
@Service
class CampaignLifecycle {

  private static final Logger log = LoggerFactory.getLogger(CampaignLifecycle.class);

  private final CampaignRepository campaigns;
  private final CampaignTargeting targeting;
  private final CampaignEvaluator evaluator;
  private final TransactionalOperator tx;
  private final Clock clock;

  CampaignLifecycle(
      CampaignRepository campaigns,
      CampaignTargeting targeting,
      CampaignEvaluator evaluator,
      TransactionalOperator tx,
      Clock clock) {
    this.campaigns = campaigns;
    this.targeting = targeting;
    this.evaluator = evaluator;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Stores a valid draft; an invalid one is refused with every error at once, and a churn minimum
   * without an active churn model (or with scoring down) is refused before anything is written.
   */
  Mono<CampaignPayload> create(CampaignDraft draft) {
    List<UserError> errors = CampaignRules.validate(draft);
    if (!errors.isEmpty()) {
      return Mono.just(CampaignPayload.errors(errors));
    }
    return whenChurnSelectable(
        draft, () -> campaigns.insert(draft, OffsetDateTime.now(clock)).map(CampaignPayload::ok));
  }

  /**
   * Runs {@code store} when the draft has no churn minimum or scoring has an active churn model to
   * select with; else the typed refusal (NO_ACTIVE_CHURN_MODEL, REMOTE_UNAVAILABLE).
   */
  private Mono<CampaignPayload> whenChurnSelectable(
      CampaignDraft draft, Supplier<Mono<CampaignPayload>> store) {
    if (!draft.target().needsChurnRisk()) {
      return store.get();
    }
    return targeting
        .activeChurnModel()
        .flatMap(version -> store.get())
        .onErrorResume(CampaignTargeting.NoActiveChurnModel.class, e -> Mono.just(noChurnModel()))
        .onErrorResume(
            RemoteException.class,
            e ->
                Mono.just(
                    CampaignPayload.error(
                        new UserError(
                            "REMOTE_UNAVAILABLE",
                            CHURN_FIELD,
                            "scoring-service reachable",
                            "scoring-service could not say which churn model is active; nothing"
                                + " was written, try again later"))));
  }

  /** Applies {@code change} to a DRAFT campaign's draft and stores it when still valid. */
  Mono<CampaignPayload> update(String campaignId, UnaryOperator<CampaignDraft> change) {
    return onDraft(
        campaignId,
        current -> {
          CampaignDraft changed = change.apply(current.draft());
          List<UserError> errors = CampaignRules.validate(changed);
          if (!errors.isEmpty()) {
            return Mono.just(CampaignPayload.errors(errors));
          }
          return whenChurnSelectable(
              changed,
              () ->
                  campaigns
                      .updateDraft(current.id(), changed, OffsetDateTime.now(clock))
                      .map(CampaignPayload::ok)
                      // launched between our read and write
                      .switchIfEmpty(
                          Mono.defer(() -> campaigns.findById(current.id()).map(this::notDraft))));
        });
  }

  /**
   * Launches a DRAFT campaign: resolves its target through the remote services, then marks it
   * LAUNCHED and stores each member with its holdout assignment in one transaction. A remote
   * failure happens before the transaction, so nothing is written.
   */
  Mono<CampaignPayload> launch(String campaignId) {
    return onDraft(
        campaignId,
        current ->
            targeting
                .resolve(current.draft().target())
                .flatMap(audience -> launch(current, audience))
                .onErrorResume(
                    CampaignTargeting.NoActiveChurnModel.class, e -> Mono.just(noChurnModel()))
                .onErrorResume(
                    RemoteException.class,
                    e -> {
                      log.warn("campaign launch refused: {}", e.getMessage());
                      return Mono.just(remoteUnavailable(e));
                    }));
  }

  /** Runs {@code action} on the DRAFT campaign with this id; NOT_FOUND or NOT_DRAFT otherwise. */
  private Mono<CampaignPayload> onDraft(
      String campaignId, Function<Campaign, Mono<CampaignPayload>> action) {
    Long id = parseId(campaignId);
    if (id == null) {
      return Mono.just(notFound(campaignId));
    }
    return campaigns
        .findById(id)
        .flatMap(
            current ->
                current.status() != CampaignStatus.DRAFT
                    ? Mono.just(notDraft(current))
                    : action.apply(current))
        .defaultIfEmpty(notFound(campaignId));
  }

  private Mono<CampaignPayload> launch(Campaign c, CampaignTargeting.Audience audience) {
    List<String> customerIds = audience.customerIds();
    if (customerIds.isEmpty()) {
      return Mono.just(
          CampaignPayload.error(
              new UserError(
                  "EMPTY_TARGET",
                  "input.campaignId",
                  "a target that matches at least one customer",
                  "No customer matches the target; nothing was launched")));
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
        .markLaunched(c.id(), audience.churnModelVersion(), OffsetDateTime.now(clock))
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

  /** The campaign's effect up to today; fails with RemoteException when outcomes are unreadable. */
  Mono<CampaignResults> results(Campaign c) {
    return evaluator.results(c, LocalDate.now(clock));
  }

  /** Each customer's campaigns, in two queries whatever the number of customers. */
  Mono<Map<String, List<CampaignMembership>>> memberships(Set<String> customerIds) {
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

  /** A campaign id as the API shows it, or null when it is not one. */
  static Long parseId(String id) {
    try {
      return Long.parseLong(id);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static final String CHURN_FIELD = "input.target.minChurnProbability";

  private static CampaignPayload noChurnModel() {
    return CampaignPayload.error(
        new UserError(
            "NO_ACTIVE_CHURN_MODEL",
            CHURN_FIELD,
            "an active churn model in scoring-service (activateChurnModel), or no minimum",
            "scoring-service has no active churn model to select customers by churn probability;"
                + " nothing was written"));
  }

  private static CampaignPayload remoteUnavailable(RemoteException e) {
    return CampaignPayload.error(
        new UserError(
            "REMOTE_UNAVAILABLE",
            "input.campaignId",
            "scoring-service and customer-service reachable",
            (e.service().equals("scoring") ? "scoring-service" : "customer-service")
                + " could not resolve the target; nothing was launched, try again later"));
  }

  private CampaignPayload notDraft(Campaign c) {
    return CampaignPayload.error(
        new UserError(
            "NOT_DRAFT",
            "input.campaignId",
            "a DRAFT campaign",
            "Campaign "
                + c.key()
                + " is "
                + c.status()
                + "; only a DRAFT can be edited or launched"));
  }

  private static CampaignPayload notFound(String id) {
    return CampaignPayload.error(
        new UserError("NOT_FOUND", "input.campaignId", "an existing id", "No campaign " + id));
  }
}
