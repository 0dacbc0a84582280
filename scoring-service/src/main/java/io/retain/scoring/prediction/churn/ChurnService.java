package io.retain.scoring.prediction.churn;

import io.retain.scoring.customer.CustomerClient;
import io.retain.scoring.engine.Activity;
import io.retain.scoring.engine.Assessment;
import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.prediction.churn.ChurnModelRepository.Prediction;
import io.retain.scoring.prediction.churn.ChurnModelRepository.StoredModel;
import io.retain.scoring.profile.ProfileRepository;
import io.retain.scoring.profile.ProfileRepository.Profiles;
import io.retain.support.graphql.ApiException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Trains, stores and activates churn model versions, and keeps the active model's predictions.
 * Training reads customer-service's churn records once and its bulk activity stream once per
 * observation date (as of the day before it); nothing is stored unless a model was fitted.
 */
@Service
public class ChurnService {

  private static final Logger log = LoggerFactory.getLogger(ChurnService.class);
  private static final int WINDOW_MONTHS = 12;
  private static final int BATCH = 1000;

  private final CustomerClient customers;
  private final ProfileRepository profiles;
  private final ChurnModelRepository models;
  private final TransactionalOperator tx;
  private final Clock clock;

  ChurnService(
      CustomerClient customers,
      ProfileRepository profiles,
      ChurnModelRepository models,
      TransactionalOperator tx,
      Clock clock) {
    this.customers = customers;
    this.profiles = profiles;
    this.models = models;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Plans, reads, fits, validates and stores a new (inactive) version. Bad input fails with an
   * {@link ApiException} before anything is stored.
   */
  public Mono<StoredModel> train(LocalDate from, LocalDate to, int horizonDays) {
    return prepare(from, to, horizonDays).flatMap(t -> train(t, n -> {}));
  }

  /** A training checked, with its churn records read: what a training job runs. */
  public record Training(ObservationPlan plan, Map<String, ChurnEvent> churns) {
    /** Its progress steps: one per observation date read. */
    public int steps() {
      return plan.all().size();
    }
  }

  /**
   * The checks that are cheap, made before a training job starts: the plan (INVALID_HORIZON,
   * INVALID_RANGE) and the churn records, read once (NO_CHURN_RECORDS). Fails with an {@link
   * ApiException}.
   */
  public Mono<Training> prepare(LocalDate from, LocalDate to, int horizonDays) {
    return Mono.defer(
        () -> {
          ObservationPlan plan = ObservationPlan.of(from, to, horizonDays);
          LocalDate today = LocalDate.now(clock);
          if (plan.labelsEnd().isAfter(today)) {
            throw new ApiException(
                "INVALID_RANGE",
                "to",
                "to + horizonDays on or before today (" + today + "): each label needs its horizon",
                "the last observation's labels would reach "
                    + plan.labelsEnd()
                    + ", after today "
                    + today);
          }
          return customers
              .churnEvents(plan.labelsEnd())
              .map(d -> new ChurnEvent(d.customerId(), d.churnedAt(), d.wonBackAt()))
              .collectMap(ChurnEvent::customerId, Function.identity())
              .map(churns -> new Training(plan, churns))
              .doOnNext(ChurnService::refuseWithoutChurn);
        });
  }

  /**
   * Reads every observation date (telling {@code datesRead} the count after each), fits, validates
   * and stores. TOO_FEW_POSITIVES fails with an {@link ApiException}, nothing stored.
   */
  public Mono<StoredModel> train(Training training, IntConsumer datesRead) {
    ObservationPlan plan = training.plan();
    return Mono.zip(read(plan, training.churns(), datesRead), profiles.current())
        .publishOn(Schedulers.boundedElastic())
        .map(
            z ->
                ChurnTrainer.train(
                    plan,
                    z.getT1().training().build(),
                    z.getT1().validation().build(),
                    LogisticRegression.DEFAULT_LAMBDA,
                    z.getT2().byName().get("default"),
                    z.getT1().fits()))
        .flatMap(t -> models.insert(t, clock.instant()))
        .doOnNext(m -> log.info("churn model {} trained: {}", m.version(), m.report().verdict()));
  }

  /** Refuses a range with no churn in its label windows. */
  private static void refuseWithoutChurn(Training t) {
    ObservationPlan plan = t.plan();
    LocalDate first = plan.all().get(0);
    boolean any =
        t.churns().values().stream()
            .anyMatch(
                c -> c.churnedAt().isAfter(first) && !c.churnedAt().isAfter(plan.labelsEnd()));
    if (!any) {
      throw new ApiException(
          "NO_CHURN_RECORDS",
          "from",
          "a range with churn records dated in (from, to + horizonDays]",
          "no churn record is dated between " + first + " (exclusive) and " + plan.labelsEnd());
    }
  }

  /**
   * Every observation date's rows, by column (training dates' then validation dates'), and the
   * BG/NBD fits (one per date that had one) their pAlive and expected purchases came from.
   */
  private record Read(
      TrainingSet.Builder training,
      TrainingSet.Builder validation,
      List<PurchaseFeatures.Fit> fits) {}

  /**
   * The rows of every observation date, in date order (telling {@code datesRead} the count after
   * each). Each date's stream is read once: rows are stored by column as it flows, with the BG/NBD
   * slots empty, and filled once the date's buyers are fitted. No row object is kept (12M rows for
   * 1M customers over a year; ADR 0009).
   */
  private Mono<Read> read(
      ObservationPlan plan, Map<String, ChurnEvent> churns, IntConsumer datesRead) {
    AtomicInteger dates = new AtomicInteger();
    Read read = new Read(new TrainingSet.Builder(), new TrainingSet.Builder(), new ArrayList<>());
    return profiles
        .current()
        .flatMapMany(
            p ->
                Flux.fromIterable(plan.all())
                    .concatMap(
                        t ->
                            atDate(
                                    t,
                                    plan,
                                    churns,
                                    p,
                                    plan.training().contains(t)
                                        ? read.training()
                                        : read.validation())
                                .doOnSuccess(fit -> datesRead.accept(dates.incrementAndGet()))))
        .doOnNext(read.fits()::add)
        .then(Mono.just(read));
  }

  /** Reads date {@code t}'s stream into {@code into}; emits its BG/NBD fit, if any. */
  private Mono<PurchaseFeatures.Fit> atDate(
      LocalDate t,
      ObservationPlan plan,
      Map<String, ChurnEvent> churns,
      Profiles p,
      TrainingSet.Builder into) {
    DateRows rows = new DateRows(t, plan.horizonDays(), into);
    return customers
        .allActivity(ChurnFeatures.dataDate(t), WINDOW_MONTHS)
        .doOnNext(
            line -> {
              Activity a = line.activity();
              rows.add(
                  a,
                  churns.get(a.customerId()),
                  p.forCustomer(a.kind(), a.valueTier(), a.industry()));
            })
        .then(Mono.fromCallable(rows::finish).subscribeOn(Schedulers.boundedElastic()));
  }

  public Flux<StoredModel> models() {
    return models.all();
  }

  public Mono<StoredModel> model(int version) {
    return models.version(version);
  }

  /**
   * Activates a version that validated and beat the baselines, then predicts every customer with
   * it; refuses any other version with the report's verdict.
   */
  public Mono<StoredModel> activate(int version) {
    return models
        .version(version)
        .switchIfEmpty(
            Mono.error(ApiException.notFound("version", "no churn model version " + version)))
        .flatMap(
            m -> {
              if (!m.report().validated()) {
                return Mono.error(
                    new ApiException(
                        "CHURN_MODEL_NOT_VALIDATED",
                        "version",
                        "a model validated out of time",
                        m.report().verdict()));
              }
              if (!m.report().beatsBaselines()) {
                return Mono.error(
                    new ApiException(
                        "CHURN_MODEL_NOT_BETTER",
                        "version",
                        "a model that beats the loyalty score (and 1 − pAlive) as a ranker",
                        m.report().verdict()));
              }
              return tx.transactional(models.activate(version))
                  .then(predictAll(m, LocalDate.now(clock)))
                  .then(models.version(version));
            });
  }

  /**
   * Stores version {@code version}'s weight proposal as the next version of {@code profileName}
   * (its latest settings, the proposed weights); refuses a missing version, profile or proposal.
   */
  public Mono<WeightProfile> adoptWeights(int version, String profileName) {
    return models
        .version(version)
        .switchIfEmpty(
            Mono.error(ApiException.notFound("version", "no churn model version " + version)))
        .zipWith(profiles.current())
        .flatMap(
            z -> {
              WeightProposal proposal = z.getT1().report().weightProposal();
              if (proposal == null) {
                return Mono.error(
                    new ApiException(
                        "NO_WEIGHT_PROPOSAL",
                        "version",
                        "a model whose report has a weight proposal",
                        "churn model " + version + " has no weight proposal"));
              }
              WeightProfile base = z.getT2().byName().get(profileName);
              if (base == null) {
                return Mono.error(
                    ApiException.notFound("profileName", "no weight profile " + profileName));
              }
              return profiles.createVersion(proposal.applyTo(base));
            });
  }

  /**
   * Predicts every customer with the model from customer-service's aggregates as of {@code
   * dataDate} (the observation date is the day after), in batches.
   */
  Mono<Long> predictAll(StoredModel m, LocalDate dataDate) {
    return profiles
        .current()
        .flatMap(
            p ->
                customers
                    .allActivity(dataDate, WINDOW_MONTHS)
                    .map(l -> l.activity())
                    .buffer(BATCH)
                    .concatMap(batch -> store(m, batch, dataDate, p).thenReturn(batch.size()))
                    .reduce(0L, Long::sum));
  }

  /**
   * The active model for a rescoring batch, empty without one. Rescoring reads it beside the
   * batch's previous assessments and predicts beside scoring, off the I/O event loop ({@link
   * #predict(StoredModel, List, List, LocalDate)}), then stores the predictions in the batch's
   * transaction ({@link #save}).
   */
  public Mono<Optional<StoredModel>> activeForRescoring() {
    return models.active().map(Optional::of).defaultIfEmpty(Optional.empty());
  }

  /**
   * A rescoring batch's predictions with model {@code m}, from the same aggregates (as of {@code
   * asOf}). {@code scored}: the batch's assessments as rescoring made them (same profile, date and
   * retention; its previous score moves only risk factors, which no feature reads), so that no
   * customer is scored twice. CPU only.
   */
  public static List<Prediction> predict(
      StoredModel m, List<Activity> batch, List<Assessment> scored, LocalDate asOf) {
    int[] at = LogisticRegression.positions(ChurnFeatures.NAMES, m.model());
    List<Prediction> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Activity a = batch.get(i);
      out.add(
          predict(
              m, at, a, ChurnFeatures.observe(a, scored.get(i), asOf, outlook(m, a, asOf)), asOf));
    }
    return out;
  }

  /** Upserts predictions in one statement; a stored prediction newer than its date is kept. */
  public Mono<Void> save(List<Prediction> predictions) {
    return models.save(predictions, clock.instant());
  }

  /** Predicts and stores one batch of customers with the given model. */
  public Mono<Void> store(StoredModel m, List<Activity> batch, LocalDate dataDate, Profiles p) {
    int[] at = LogisticRegression.positions(ChurnFeatures.NAMES, m.model());
    List<Prediction> out = new ArrayList<>(batch.size());
    for (Activity a : batch) {
      out.add(predict(m, at, a, observe(m, a, dataDate, p), dataDate));
    }
    return models.save(out, clock.instant());
  }

  private static ChurnFeatures.Observed observe(
      StoredModel m, Activity a, LocalDate dataDate, Profiles p) {
    return ChurnFeatures.observe(
        a, p.forCustomer(a.kind(), a.valueTier(), a.industry()), dataDate, outlook(m, a, dataDate));
  }

  private static ChurnFeatures.@Nullable PurchaseOutlook outlook(
      StoredModel m, Activity a, LocalDate dataDate) {
    return PurchaseFeatures.outlook(
        m.report().servingPurchaseFit(),
        PurchaseFeatures.history(a, dataDate),
        m.report().horizonDays());
  }

  private static Prediction predict(
      StoredModel m, int[] at, Activity a, ChurnFeatures.Observed o, LocalDate dataDate) {
    double[] x = LogisticRegression.select(at, o.features());
    double probability = m.model().probability(x);
    return new Prediction(
        a.customerId(), m.version(), dataDate, probability, o.clv(), probability * o.clv(), x);
  }
}
