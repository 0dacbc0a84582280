package io.retain.scoring.prediction;

import io.retain.scoring.prediction.PredictionJobs.Job;
import io.retain.support.jobs.JobRuns;
import io.retain.support.paging.Paging;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** Following model fits run as jobs (the starts are the churn and purchase controllers'). */
@Controller
class PredictionJobController {

  private final PredictionJobs jobs;

  PredictionJobController(PredictionJobs jobs) {
    this.jobs = jobs;
  }

  @QueryMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<Job> predictionJob(@Argument String id) {
    return jobs.job(JobRuns.parseId(id));
  }

  @QueryMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<List<Job>> predictionJobs(@Argument @Nullable Integer first) {
    return jobs.recent(Paging.first(first, 20));
  }
}
