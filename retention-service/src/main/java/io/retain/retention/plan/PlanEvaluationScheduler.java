package io.retain.retention.plan;

import io.retain.support.jobs.JobLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import reactor.core.publisher.Mono;

/**
 * Evaluates due plans periodically on the replica holding the {@value #LEASE} lease; off with
 * {@code retain.plan-evaluation.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnBooleanProperty(name = "retain.plan-evaluation.enabled", matchIfMissing = true)
class PlanEvaluationScheduler {

  private static final Logger log = LoggerFactory.getLogger(PlanEvaluationScheduler.class);

  static final String LEASE = "retention.plan-evaluation";

  private final PlanEvaluator evaluator;
  private final JobLeases leases;

  PlanEvaluationScheduler(PlanEvaluator evaluator, JobLeases leases) {
    this.evaluator = evaluator;
    this.leases = leases;
  }

  @Scheduled(fixedDelayString = "${retain.plan-evaluation.interval:1h}")
  Mono<Void> evaluate() {
    return leases
        .runIfOwner(LEASE, evaluator::evaluateDue)
        // customer-service down: plans stay unevaluated and the next run retries them
        .onErrorResume(
            e -> {
              log.warn("plan evaluation failed, will retry: {}", e.toString());
              return Mono.empty();
            })
        .then();
  }
}
