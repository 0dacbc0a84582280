package io.retain.retention.plan;

import io.retain.retention.playbook.PlaybookRepository;
import io.retain.retention.playbook.Playbooks;
import io.retain.retention.remote.CustomerProfile;
import io.retain.retention.remote.WarningEvent;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Opens the plans a warning calls for; replaying a warning opens nothing new. */
@Service
public class PlanOpener {

  /** Whether any playbook rule has a churn minimum, so the caller must fetch predictions. */
  public Mono<Boolean> needChurnRisk() {
    return playbooks.snapshot().map(Playbooks::needChurnRisk);
  }

  private final PlanPolicy policy;
  private final PlaybookRepository playbooks;
  private final PlanRepository plans;
  private final Clock clock;

  PlanOpener(PlanPolicy policy, PlaybookRepository playbooks, PlanRepository plans, Clock clock) {
    this.policy = policy;
    this.playbooks = playbooks;
    this.plans = plans;
    this.clock = clock;
  }

  /** The plans newly opened for this warning without a churn prediction for the customer. */
  public Flux<ActionPlan> open(WarningEvent warning, CustomerProfile profile) {
    return open(warning, profile, null);
  }

  /**
   * The plans newly opened for this warning (none if they are open already), given the customer's
   * churn probability under the active model (null: no prediction).
   */
  public Flux<ActionPlan> open(
      WarningEvent warning, CustomerProfile profile, @Nullable Double churnProbability) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return playbooks
        .snapshot()
        .flatMapIterable(p -> policy.plansFor(warning, profile, p, churnProbability))
        .concatMap(d -> plans.insertIfNoneOpen(d, "WARNING", null, now));
  }
}
