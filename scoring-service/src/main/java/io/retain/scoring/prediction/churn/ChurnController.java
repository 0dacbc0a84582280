package io.retain.scoring.prediction.churn;

import graphql.schema.DataFetchingEnvironment;
import io.retain.scoring.customer.Customer;
import io.retain.scoring.messages.Texts;
import io.retain.scoring.prediction.PredictionJobs;
import io.retain.scoring.prediction.PredictionJobs.Kind;
import io.retain.scoring.prediction.PredictionJobs.Work;
import io.retain.scoring.prediction.StartPredictionJobPayload;
import io.retain.scoring.prediction.churn.ChurnModelRepository.Prediction;
import io.retain.scoring.prediction.churn.ChurnModelRepository.Ranked;
import io.retain.scoring.prediction.churn.ChurnModelRepository.StoredModel;
import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.UserError;
import io.retain.support.paging.Paging;
import java.security.Principal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/** The churn model API: train, read, activate; a customer's churn risk; customers by risk. */
@Controller
class ChurnController {

  record TrainChurnModelInput(LocalDate from, LocalDate to, @Nullable Integer horizonDays) {}

  record ActivateChurnModelInput(int version) {}

  record ChurnModelPayload(@Nullable StoredModel model, List<UserError> errors) {}

  record ChurnRiskFilter(double minProbability) {}

  record AdoptChurnWeightsInput(int version, @Nullable String profileName) {}

  record AdoptChurnWeightsPayload(
      @Nullable String profileName, @Nullable Integer profileVersion, List<UserError> errors) {}

  record ProposedWeight(String component, int current, int proposed, @Nullable Double perPoint) {}

  record ChurnRiskEdge(String cursor, Customer node) {}

  /** The shared PageInfo type (service-support); keyset cursors, forward only. */
  record PageInfo(
      boolean hasNextPage,
      @Nullable String endCursor,
      boolean hasPreviousPage,
      @Nullable String startCursor) {}

  record ChurnRiskConnection(List<ChurnRiskEdge> edges, PageInfo pageInfo, int totalCount) {}

  /** A served prediction with the model that made it (for drivers). */
  record ChurnRisk(Prediction prediction, StoredModel model) {}

  record ChurnDriver(String feature, @Nullable Double value, double contribution) {}

  private final ChurnService churn;
  private final ChurnModelRepository repository;
  private final Texts texts;
  private final PredictionJobs jobs;

  ChurnController(
      ChurnService churn,
      ChurnModelRepository repository,
      Texts texts,
      BatchLoaderRegistry registry,
      PredictionJobs jobs) {
    this.jobs = jobs;
    this.churn = churn;
    this.repository = repository;
    this.texts = texts;
    registry
        .forTypePair(String.class, ChurnRisk.class)
        .withName("churnRisk")
        .registerMappedBatchLoader((ids, env) -> load(ids));
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<StoredModel>> churnModels() {
    return churn.models().collectList();
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<StoredModel> churnModel(@Argument int version) {
    return churn.model(version);
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<ChurnModelPayload> trainChurnModel(
      @Argument TrainChurnModelInput input, @Nullable Principal caller) {
    // through a job record like startChurnTraining's: refused while a training runs anywhere
    return payload(
        prepare(input).flatMap(w -> jobs.runNow(w, caller == null ? null : caller.getName())));
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<StartPredictionJobPayload> startChurnTraining(
      @Argument TrainChurnModelInput input, @Nullable Principal caller) {
    return StartPredictionJobPayload.of(
        prepare(input).flatMap(w -> jobs.start(w, caller == null ? null : caller.getName())));
  }

  /** The input checked and the churn records read (cheap, before a job starts): the job's work. */
  private Mono<Work<StoredModel>> prepare(TrainChurnModelInput input) {
    int horizon = input.horizonDays() == null ? 90 : input.horizonDays();
    String json =
        String.format(
            "{\"from\": \"%s\", \"to\": \"%s\", \"horizonDays\": %d}",
            input.from(), input.to(), horizon);
    return churn
        .prepare(input.from(), input.to(), horizon)
        .map(
            t ->
                new Work<>(
                    Kind.CHURN_TRAINING,
                    json,
                    t.steps(),
                    datesRead -> churn.train(t, datesRead),
                    StoredModel::version));
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<ChurnModelPayload> activateChurnModel(@Argument ActivateChurnModelInput input) {
    return payload(churn.activate(input.version()));
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<AdoptChurnWeightsPayload> adoptChurnWeights(@Argument AdoptChurnWeightsInput input) {
    String name = input.profileName() == null ? "default" : input.profileName();
    return churn
        .adoptWeights(input.version(), name)
        .map(p -> new AdoptChurnWeightsPayload(p.name(), p.version(), List.of()))
        .onErrorResume(
            ApiException.class,
            e -> Mono.just(new AdoptChurnWeightsPayload(null, null, List.of(error(e)))));
  }

  @SchemaMapping(typeName = "WeightProposal")
  List<ProposedWeight> weights(WeightProposal w) {
    return w.weights().keySet().stream()
        .map(
            k ->
                new ProposedWeight(
                    k, w.current().getOrDefault(k, 0), w.weights().get(k), w.coefficients().get(k)))
        .toList();
  }

  @SchemaMapping(typeName = "WeightProposal")
  @Nullable Double difference(WeightProposal w) {
    return w.proposedMinusCurrent() == null ? null : w.proposedMinusCurrent().difference();
  }

  @SchemaMapping(typeName = "WeightProposal")
  @Nullable Double p(WeightProposal w) {
    return w.proposedMinusCurrent() == null ? null : w.proposedMinusCurrent().p();
  }

  private static UserError error(ApiException e) {
    return new UserError(
        e.code(), e.field() == null ? null : "input." + e.field(), e.expected(), e.getMessage());
  }

  private static Mono<ChurnModelPayload> payload(Mono<StoredModel> work) {
    return work.map(m -> new ChurnModelPayload(m, List.of()))
        .onErrorResume(
            ApiException.class, e -> Mono.just(new ChurnModelPayload(null, List.of(error(e)))));
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<ChurnRiskConnection> customersByChurnRisk(
      @Argument ChurnRiskFilter filter,
      @Argument ChurnRiskCursor.@Nullable Sort sort,
      @Argument @Nullable Integer first,
      @Argument @Nullable String after) {
    int n = Paging.first(first, 50);
    double min = filter.minProbability();
    if (!(min >= 0 && min <= 1)) {
      throw ApiException.badInput(
          "filter.minProbability", "0 to 1", "minProbability " + min + " is out of range");
    }
    ChurnRiskCursor.Sort by = sort == null ? ChurnRiskCursor.Sort.EXPECTED_LOST_VALUE : sort;
    @Nullable ChurnRiskCursor from = after == null ? null : ChurnRiskCursor.decode(after, by);
    return Mono.zip(repository.page(min, by, from, n + 1).collectList(), repository.count(min))
        .map(
            t -> {
              List<Ranked> rows = t.getT1();
              boolean more = rows.size() > n;
              List<Ranked> page = more ? rows.subList(0, n) : rows;
              List<ChurnRiskEdge> edges =
                  page.stream()
                      .map(r -> new ChurnRiskEdge(cursor(by, r), new Customer(r.customerId())))
                      .toList();
              return new ChurnRiskConnection(
                  edges,
                  new PageInfo(
                      more,
                      edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor(),
                      !edges.isEmpty(),
                      edges.isEmpty() ? null : edges.get(0).cursor()),
                  t.getT2());
            });
  }

  /** The position of a listed row: where the next page starts when it is the page's last. */
  private static String cursor(ChurnRiskCursor.Sort by, Ranked r) {
    return new ChurnRiskCursor(by, r.key(), r.customerId()).encode();
  }

  @SchemaMapping(typeName = "Customer")
  @PreAuthorize("hasRole('ANALYST')")
  Mono<ChurnRisk> churnRisk(Customer c, DataLoader<String, ChurnRisk> churnRisk) {
    return Mono.fromFuture(churnRisk.load(c.id()));
  }

  /** One read of the active model and one of the predictions for all customers of a request. */
  private Mono<Map<String, ChurnRisk>> load(Set<String> ids) {
    return repository
        .active()
        .flatMap(
            m ->
                repository
                    .predictions(List.copyOf(ids))
                    .filter(p -> p.modelVersion() == m.version())
                    .collectMap(Prediction::customerId, p -> new ChurnRisk(p, m)))
        .defaultIfEmpty(Map.of());
  }

  @SchemaMapping(typeName = "ChurnRisk")
  double probability(ChurnRisk r) {
    return r.prediction().probability();
  }

  @SchemaMapping(typeName = "ChurnRisk")
  int horizonDays(ChurnRisk r) {
    return r.model().report().horizonDays();
  }

  @SchemaMapping(typeName = "ChurnRisk")
  int modelVersion(ChurnRisk r) {
    return r.prediction().modelVersion();
  }

  @SchemaMapping(typeName = "ChurnRisk")
  LocalDate asOf(ChurnRisk r) {
    return r.prediction().asOf();
  }

  @SchemaMapping(typeName = "ChurnRisk")
  @Nullable Double expectedLostValue(ChurnRisk r) {
    return r.prediction().expectedLostValue();
  }

  @SchemaMapping(typeName = "ChurnRisk")
  List<ChurnDriver> drivers(ChurnRisk r, @Argument @Nullable Integer top) {
    int k = top == null ? 5 : top;
    if (k < 1 || k > ChurnFeatures.NAMES.size()) {
      throw ApiException.badInput(
          "top", "1 to " + ChurnFeatures.NAMES.size(), "top " + k + " is out of range");
    }
    return r.model().model().contributions(r.prediction().features()).stream()
        .limit(k)
        .map(
            c ->
                new ChurnDriver(
                    c.feature(), Double.isNaN(c.value()) ? null : c.value(), c.contribution()))
        .toList();
  }

  @SchemaMapping(typeName = "ChurnDriver")
  String label(ChurnDriver d, @Argument @Nullable String locale, DataFetchingEnvironment env) {
    return texts.churnFeatureLabel(d.feature(), Texts.locale(locale, env.getLocale()));
  }

  @SchemaMapping(typeName = "FeatureWeight")
  String label(
      ChurnReport.Weight w, @Argument @Nullable String locale, DataFetchingEnvironment env) {
    return texts.churnFeatureLabel(w.feature(), Texts.locale(locale, env.getLocale()));
  }

  @SchemaMapping(typeName = "BaselineComparison")
  double difference(ChurnReport.Baseline b) {
    return b.modelMinusRanker().difference();
  }

  @SchemaMapping(typeName = "BaselineComparison")
  double p(ChurnReport.Baseline b) {
    return b.modelMinusRanker().p();
  }
}
