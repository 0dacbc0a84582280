package io.retain.support.jobs;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import reactor.core.publisher.Mono;

/** Keeps this replica's leases between runs and gives them up on a clean shutdown. */
public class LeaseKeeper implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final JobLeases leases;

  LeaseKeeper(JobLeases leases) {
    this.leases = leases;
  }

  // well inside the ttl (30 s by default): two missed renewals still leave the lease held
  @Scheduled(fixedDelayString = "${retain.jobs.lease.renew-every:10s}")
  Mono<Void> renew() {
    // renewHeld reads the held leases per subscription (per tick)
    return leases
        .renewHeld()
        .onErrorResume(
            e -> {
              // the database away: the leases lapse unless it returns within the ttl
              log.warn("Job leases could not be renewed: {}", e.toString());
              return Mono.empty();
            });
  }

  @Override
  public void destroy() {
    leases.releaseAll().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
  }
}
