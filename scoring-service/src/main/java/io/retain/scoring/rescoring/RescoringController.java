package io.retain.scoring.rescoring;

import graphql.GraphQLContext;
import graphql.execution.DataFetcherResult;
import io.retain.scoring.rescoring.RescoringJobs.Job;
import io.retain.scoring.rescoring.SetAsideRepository.SetAside;
import io.retain.support.graphql.ApiException;
import io.retain.support.jobs.JobRuns;
import io.retain.support.paging.Keyset;
import io.retain.support.paging.Paging;
import java.security.Principal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.LocalContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/**
 * Rescoring on request: some customers, everyone as a job (the way for clients), everyone
 * synchronously (kept for the launcher, benchmarks and tests), and the set-aside list.
 */
@Controller
class RescoringController {

  private final RescoringService rescoring;
  private final RescoringJobs jobs;
  private final SetAsideRepository setAside;

  RescoringController(RescoringService rescoring, RescoringJobs jobs, SetAsideRepository setAside) {
    this.rescoring = rescoring;
    this.jobs = jobs;
    this.setAside = setAside;
  }

  record RescoreInput(LocalDate asOf, List<String> customerIds) {}

  record RescoreAllInput(LocalDate asOf) {}

  /** The count, and for rescoreAll the job record it ran as. */
  record RescorePayload(long scored, @Nullable Job job) {}

  record StartRescoringJobInput(LocalDate asOf, String profile) {}

  record RescoringJobError(String code, String field, String message, Long runningJobId) {}

  record StartRescoringJobPayload(Job job, List<RescoringJobError> errors) {}

  /** The local-context key that carries the total to {@code SetAsideConnection.totalCount}. */
  static final String TOTAL_COUNT = "totalCount";

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN') or hasRole('SERVICE')")
  Mono<RescorePayload> rescore(@Argument RescoreInput input) {
    if (input.customerIds().isEmpty()) {
      throw ApiException.badInput(
          "input.customerIds", "at least one id", "no customers to rescore");
    }
    List<String> ids =
        input.customerIds().stream()
            .map(i -> i.trim().toUpperCase(Locale.ROOT))
            .distinct()
            .toList();
    return rescoring
        .rescore(ids, input.asOf())
        .map(n -> new RescorePayload(n, null))
        .onErrorMap(RescoringController::toApi);
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN') or hasRole('SERVICE')")
  Mono<RescorePayload> rescoreAll(@Argument RescoreAllInput input, Principal caller) {
    return jobs.runNow(input.asOf(), caller == null ? null : caller.getName())
        .map(j -> new RescorePayload(j.scored(), j))
        .onErrorMap(RescoringController::toApi);
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN') or hasRole('SERVICE')")
  Mono<StartRescoringJobPayload> startRescoringJob(
      @Argument StartRescoringJobInput input, Principal caller) {
    return jobs.start(input.asOf(), input.profile(), caller == null ? null : caller.getName())
        .map(
            s ->
                s.job() != null
                    ? new StartRescoringJobPayload(s.job(), List.of())
                    : new StartRescoringJobPayload(
                        null,
                        List.of(
                            new RescoringJobError(
                                s.code(),
                                "NOT_FOUND".equals(s.code()) ? "input.profile" : null,
                                s.message(),
                                s.runningJobId()))));
  }

  @QueryMapping
  @PreAuthorize("hasRole('ADMIN') or hasRole('SERVICE')")
  Mono<Job> rescoringJob(@Argument String id) {
    return jobs.job(JobRuns.parseId(id));
  }

  @QueryMapping
  @PreAuthorize("hasRole('ADMIN') or hasRole('SERVICE')")
  Mono<List<Job>> rescoringJobs(@Argument Integer first) {
    return jobs.recent(Paging.first(first, 20));
  }

  /** customer-service's faults and scoring's own told apart, with what was stored before. */
  static Throwable toApi(Throwable e) {
    if (e instanceof RescoringFailure f) {
      return f.remote()
          ? new ApiException(
              "UPSTREAM_UNAVAILABLE", null, "customer-service reachable", f.getMessage())
          : new ApiException("RESCORING_FAILED", null, "scores stored", f.getMessage());
    }
    return e;
  }

  /** In id order; the connection is Spring's, its total from the local context. */
  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<DataFetcherResult<Window<SetAside>>> scoringSetAside(
      @Argument Integer first, ScrollSubrange after) {
    int n = Paging.first(first, 50);
    String afterId = Paging.after(after, "id").map(k -> k.text("id")).orElse("");
    return Mono.zip(setAside.page(afterId, n + 1), setAside.count())
        .map(
            t ->
                DataFetcherResult.<Window<SetAside>>newResult()
                    .data(Paging.window(t.getT1(), n, s -> Keyset.of("id", s.customerId())))
                    .localContext(GraphQLContext.of(Map.of(TOTAL_COUNT, t.getT2())))
                    .build());
  }

  @SchemaMapping(typeName = "SetAsideConnection")
  long totalCount(@LocalContextValue long totalCount) {
    return totalCount;
  }
}
