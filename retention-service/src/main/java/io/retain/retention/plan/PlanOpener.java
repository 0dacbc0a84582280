package io.retain.retention.plan;

import io.retain.retention.playbook.PlaybookRepository;
import io.retain.retention.remote.CustomerProfile;
import io.retain.retention.remote.WarningEvent;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/** Opens the plans a warning calls for; replaying a warning opens nothing new. */
@Service
public class PlanOpener {

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

  /** The plans newly opened for this warning (none if they are open already). */
  public Flux<ActionPlan> open(WarningEvent warning, CustomerProfile profile) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return playbooks
        .snapshot()
        .flatMapIterable(p -> policy.plansFor(warning, profile, p))
        .concatMap(d -> plans.insertIfNoneOpen(d, "WARNING", null, now));
  }
}
