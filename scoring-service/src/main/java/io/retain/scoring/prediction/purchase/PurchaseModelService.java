package io.retain.scoring.prediction.purchase;

import io.retain.scoring.customer.CustomerClient;
import io.retain.scoring.customer.CustomerClient.PurchaseSummary;
import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.UserError;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Fits the purchase model on customer-service's purchase summaries as of a date and stores it as
 * the next version, or says why it stored nothing.
 */
@Service
public class PurchaseModelService {

  /** The stored model, or the errors (GraphQL FitPurchaseModelPayload). */
  public record FitPayload(@Nullable StoredPurchaseModel model, List<UserError> errors) {}

  private final CustomerClient customers;
  private final PurchaseModelRepository repository;
  private final Clock clock;

  PurchaseModelService(CustomerClient customers, PurchaseModelRepository repository, Clock clock) {
    this.customers = customers;
    this.repository = repository;
    this.clock = clock;
  }

  /** Its progress steps: summaries read, fitted, stored. */
  public static final int STEPS = 3;

  /** Reads every summary, fits (off the event loop: seconds of CPU) and stores. */
  public Mono<FitPayload> fit(LocalDate asOf) {
    return fit(asOf, n -> {});
  }

  /**
   * {@link #fit(LocalDate)} as a job's work: the stored model, or the first error as an {@link
   * ApiException} (its code the job's).
   */
  public Mono<StoredPurchaseModel> fitOrFail(LocalDate asOf, IntConsumer stepsDone) {
    return fit(asOf, stepsDone)
        .flatMap(
            p -> {
              if (p.model() != null) {
                return Mono.just(p.model());
              }
              UserError e = p.errors().get(0);
              return Mono.error(new ApiException(e.code(), e.field(), e.expected(), e.message()));
            });
  }

  /** {@link #fit(LocalDate)}, telling {@code stepsDone} each of the {@link #STEPS} it finished. */
  public Mono<FitPayload> fit(LocalDate asOf, IntConsumer stepsDone) {
    long start = System.nanoTime();
    return customers
        .purchaseSummaries(asOf)
        .collectList()
        .doOnNext(x -> stepsDone.accept(1))
        .publishOn(Schedulers.boundedElastic())
        .flatMap(
            summaries -> {
              List<String> ids = new ArrayList<>(summaries.size());
              List<PurchaseHistory> histories = new ArrayList<>(summaries.size());
              for (PurchaseSummary s : summaries) {
                ids.add(s.customerId());
                histories.add(history(s, asOf));
              }
              UserError refused = refuse(histories);
              if (refused != null) {
                return Mono.just(new FitPayload(null, List.of(refused)));
              }
              return fitAndStore(asOf, ids, histories, start, stepsDone);
            })
        .onErrorResume(
            IllegalArgumentException.class,
            e ->
                Mono.just(
                    new FitPayload(
                        null,
                        List.of(
                            new UserError(
                                "INVALID_SUMMARY",
                                "asOf",
                                "summaries with 0 ≤ tx ≤ T and positive repeat spend",
                                e.getMessage())))));
  }

  private static PurchaseHistory history(PurchaseSummary s, LocalDate asOf) {
    Double m = s.meanRepeatSpend();
    return new PurchaseHistory(
        s.repeatPurchases(),
        (int) ChronoUnit.DAYS.between(s.firstPurchase(), s.lastPurchase()),
        (int) ChronoUnit.DAYS.between(s.firstPurchase(), asOf),
        m == null ? 0 : m);
  }

  private static @Nullable UserError refuse(List<PurchaseHistory> histories) {
    if (histories.isEmpty()) {
      return new UserError(
          "NO_PURCHASES", "asOf", "a date by which customers bought", "no customer bought by asOf");
    }
    if (histories.stream().noneMatch(h -> h.repeatPurchases() > 0)) {
      return new UserError(
          "NO_REPEAT_BUYERS",
          "asOf",
          "a date by which some customer bought on two days",
          "no customer bought on two days by asOf: spend per purchase cannot be fitted");
    }
    return null;
  }

  /**
   * Why Gamma-Gamma cannot be served, or null: an unconfirmed optimum, or q ≤ 1 (the population's
   * mean spend p·γ/(q − 1) is infinite, as on data whose spend does not vary like a Gamma mixture).
   */
  static StoredPurchaseModel.@Nullable SpendModelRefusal spendRefusal(
      PurchaseModelFit.GammaGammaFit gg) {
    if (!gg.converged()) {
      return new StoredPurchaseModel.SpendModelRefusal(
          "NOT_CONVERGED",
          "the Gamma-Gamma likelihood maximum was not confirmed: spend and CLV are not served");
    }
    if (!(gg.model().q() > 1)) {
      return new StoredPurchaseModel.SpendModelRefusal(
          "NO_FINITE_SPEND",
          String.format(
              java.util.Locale.ROOT,
              "Gamma-Gamma fitted q = %.4g ≤ 1: the mean spend p·γ/(q − 1) is infinite, so spend"
                  + " and CLV are not served (pAlive and expected purchases are)",
              gg.model().q()));
    }
    return null;
  }

  private Mono<FitPayload> fitAndStore(
      LocalDate asOf,
      List<String> ids,
      List<PurchaseHistory> histories,
      long start,
      IntConsumer stepsDone) {
    PurchaseData data = PurchaseData.of(histories);
    var bg = PurchaseModelFit.bgNbd(data);
    if (!bg.converged()) {
      return Mono.just(
          new FitPayload(
              null,
              List.of(
                  new UserError(
                      "NOT_CONVERGED",
                      null,
                      null,
                      "the BG/NBD likelihood maximum was not confirmed: nothing stored"))));
    }
    var gg = PurchaseModelFit.gammaGamma(data);
    stepsDone.accept(2);
    // BG/NBD stands alone: a spend model that cannot be used is left out and says why
    StoredPurchaseModel.SpendModelRefusal refusal = spendRefusal(gg);
    GammaGamma spend = refusal == null ? gg.model() : null;
    double[] pAlive = new double[histories.size()];
    for (int i = 0; i < pAlive.length; i++) {
      PurchaseHistory h = histories.get(i);
      pAlive[i] = bg.model().pAlive(h.x(), h.txWeeks(), h.ageWeeks());
    }
    var fitted =
        new StoredPurchaseModel(
            0,
            asOf,
            clock.instant(),
            bg.model().r(),
            bg.model().alpha(),
            bg.model().a(),
            bg.model().b(),
            bg.logLikelihood(),
            bg.customers(),
            spend == null ? null : spend.p(),
            spend == null ? null : spend.q(),
            spend == null ? null : spend.gamma(),
            spend == null ? null : gg.logLikelihood(),
            gg.repeatBuyers(),
            bg.evaluations() + gg.evaluations(),
            (System.nanoTime() - start) / 1_000_000,
            refusal);
    return repository
        .store(fitted, ids, histories, pAlive)
        .doOnNext(x -> stepsDone.accept(STEPS))
        .map(stored -> new FitPayload(stored, List.of()));
  }
}
