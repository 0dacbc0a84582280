package io.retain.scoring.prediction;

import io.retain.scoring.prediction.PredictionJobs.Job;
import io.retain.support.graphql.ApiException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** The GraphQL StartPredictionJobPayload: the job started, or why none was. */
public record StartPredictionJobPayload(@Nullable Job job, List<Error> errors) {

  /** The GraphQL PredictionJobError: a UserError with the job in the way, for JOB_RUNNING. */
  public record Error(
      String code,
      @Nullable String field,
      @Nullable String expected,
      String message,
      @Nullable String runningJobId) {}

  /** The payload of a start: refusals (ApiException) become its errors, fields under input. */
  public static Mono<StartPredictionJobPayload> of(Mono<Job> started) {
    return started
        .map(j -> new StartPredictionJobPayload(j, List.of()))
        .onErrorResume(
            ApiException.class,
            e ->
                Mono.just(
                    new StartPredictionJobPayload(
                        null,
                        List.of(
                            new Error(
                                e.code(),
                                e.field() == null ? null : "input." + e.field(),
                                e.expected(),
                                String.valueOf(e.getMessage()),
                                (String) e.details().get("runningJobId"))))));
  }
}
