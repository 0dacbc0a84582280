package io.retain.scoring.prediction.purchase;

import io.retain.scoring.customer.Customer;
import io.retain.scoring.prediction.PredictionJobs;
import io.retain.scoring.prediction.PredictionJobs.Kind;
import io.retain.scoring.prediction.PredictionJobs.Work;
import io.retain.scoring.prediction.StartPredictionJobPayload;
import io.retain.scoring.prediction.purchase.PurchaseModelRepository.StoredPrediction;
import io.retain.scoring.profile.ProfileRepository;
import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.UserError;
import java.security.Principal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.dataloader.DataLoader;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** The purchase model's API: fit a version, read it, and each customer's forecast (batched). */
@Controller
class PurchaseModelController {

  /** The GraphQL PurchaseForecast. */
  record Forecast(
      int modelVersion,
      LocalDate asOf,
      int repeatPurchases,
      int recencyDays,
      int ageDays,
      double pAlive,
      int horizonDays,
      double expectedPurchases,
      @Nullable Double expectedAverageSpend,
      int clvMonths,
      double monthlyDiscountRate,
      double margin,
      @Nullable Double clv) {}

  /** A stored row with the model version it belongs to. */
  record Loaded(StoredPrediction prediction, StoredPurchaseModel model) {}

  record FitPurchaseModelInput(LocalDate asOf) {}

  private final PurchaseModelService service;
  private final PurchaseModelRepository repository;
  private final ProfileRepository profiles;
  private final PredictionJobs jobs;

  PurchaseModelController(
      PurchaseModelService service,
      PurchaseModelRepository repository,
      ProfileRepository profiles,
      BatchLoaderRegistry registry,
      PredictionJobs jobs) {
    this.jobs = jobs;
    this.service = service;
    this.repository = repository;
    this.profiles = profiles;
    // one query for the model and one for the rows of every customer in a request
    registry
        .forTypePair(String.class, Loaded.class)
        .withName("purchaseForecast")
        .registerMappedBatchLoader(
            (ids, env) ->
                repository
                    .latest()
                    .flatMap(
                        model ->
                            repository
                                .predictions(List.copyOf(ids))
                                .map(
                                    rows -> {
                                      Map<String, Loaded> out = new java.util.HashMap<>();
                                      rows.forEach(
                                          (id, p) -> {
                                            if (p.modelVersion() == model.version()) {
                                              out.put(id, new Loaded(p, model));
                                            }
                                          });
                                      return out;
                                    }))
                    .defaultIfEmpty(Map.of()));
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<PurchaseModelService.FitPayload> fitPurchaseModel(
      @Argument FitPurchaseModelInput input, @Nullable Principal caller) {
    // through a job record like startPurchaseModelFit's: refused while a fit runs anywhere
    return jobs.runNow(work(input), caller == null ? null : caller.getName())
        .map(m -> new PurchaseModelService.FitPayload(m, List.of()))
        .onErrorResume(
            ApiException.class,
            e ->
                Mono.just(
                    new PurchaseModelService.FitPayload(
                        null,
                        List.of(
                            new UserError(
                                e.code(),
                                e.field(),
                                e.expected(),
                                String.valueOf(e.getMessage()))))));
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<StartPredictionJobPayload> startPurchaseModelFit(
      @Argument FitPurchaseModelInput input, @Nullable Principal caller) {
    // nothing to check cheaply: NO_PURCHASES and the others need every summary, so they end the job
    return StartPredictionJobPayload.of(
        jobs.start(work(input), caller == null ? null : caller.getName()));
  }

  private Work<StoredPurchaseModel> work(FitPurchaseModelInput input) {
    return new Work<>(
        Kind.PURCHASE_MODEL_FIT,
        "{\"asOf\": \"" + input.asOf() + "\"}",
        PurchaseModelService.STEPS,
        steps -> service.fitOrFail(input.asOf(), steps),
        StoredPurchaseModel::version);
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<StoredPurchaseModel> purchaseModel() {
    return repository.latest();
  }

  @SchemaMapping(typeName = "Customer")
  @PreAuthorize("hasRole('ANALYST')")
  Mono<Forecast> purchaseForecast(
      Customer c,
      @Argument int horizonDays,
      @Argument int clvMonths,
      @Argument double monthlyDiscountRate,
      @Argument @Nullable Double margin,
      DataLoader<String, Loaded> purchaseForecast) {
    if (horizonDays < 1 || horizonDays > 3650) {
      throw ApiException.badInput(
          "horizonDays", "1 to 3650 days", "horizonDays " + horizonDays + " is out of range");
    }
    if (clvMonths < 1 || clvMonths > 120) {
      throw ApiException.badInput(
          "clvMonths", "1 to 120 months", "clvMonths " + clvMonths + " is out of range");
    }
    if (!(monthlyDiscountRate >= 0 && monthlyDiscountRate <= 1)) {
      throw ApiException.badInput(
          "monthlyDiscountRate",
          "0 to 1 (0.01 = 1% a month)",
          "monthlyDiscountRate " + monthlyDiscountRate + " is out of range");
    }
    if (margin != null && !(margin > 0 && margin <= 1)) {
      throw ApiException.badInput(
          "margin", "more than 0, at most 1", "margin " + margin + " is out of range");
    }
    Mono<Double> marginOf =
        margin != null
            ? Mono.just(margin)
            : profiles.current().map(p -> p.byName().get("default").margin());
    return Mono.fromFuture(purchaseForecast.load(c.id()))
        .zipWith(marginOf)
        .map(t -> forecast(t.getT1(), horizonDays, clvMonths, monthlyDiscountRate, t.getT2()));
  }

  private static Forecast forecast(
      Loaded loaded, int horizonDays, int clvMonths, double discount, double margin) {
    PurchaseModel model = loaded.model().model();
    PurchaseHistory h = loaded.prediction().history();
    var f = model.forecast(h, horizonDays);
    return new Forecast(
        loaded.model().version(),
        loaded.model().asOf(),
        h.repeatPurchases(),
        h.recencyDays(),
        h.ageDays(),
        loaded.prediction().pAlive(),
        horizonDays,
        f.expectedPurchases(),
        f.expectedAverageSpend(),
        clvMonths,
        discount,
        margin,
        model.clv(h, clvMonths, discount, margin));
  }
}
