package io.retain.retention.feed;

import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventTransport;
import io.retain.support.jobs.JobLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import reactor.core.publisher.Mono;

/**
 * Polls the warning feed on a fixed delay on the replica holding the {@value #LEASE} lease; off
 * with {@code retain.warning-feed.enabled=false} or under {@code RETAIN_EVENTS=kafka} (then {@link
 * WarningEventsConfiguration} consumes the topic in a consumer group).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnEventTransport(EventTransport.FEED)
@ConditionalOnBooleanProperty(name = "retain.warning-feed.enabled", matchIfMissing = true)
class WarningFeedScheduler {

  private static final Logger log = LoggerFactory.getLogger(WarningFeedScheduler.class);

  static final String LEASE = "retention.warning-feed";

  private final WarningFeedConsumer consumer;
  private final JobLeases leases;

  WarningFeedScheduler(WarningFeedConsumer consumer, JobLeases leases) {
    this.consumer = consumer;
    this.leases = leases;
  }

  // a Publisher return value: Spring subscribes and waits for it before the next delay
  @Scheduled(fixedDelayString = "${retain.warning-feed.poll-interval:15s}")
  Mono<Void> poll() {
    return leases
        .runIfOwner(LEASE, consumer::drain)
        .doOnNext(n -> log.debug("warning feed: {} warnings consumed", n))
        .onErrorResume(
            WarningConsumer.CursorMoved.class,
            e -> {
              // another replica applied it first (this one held a lapsed lease)
              log.info("{}", e.getMessage());
              return Mono.empty();
            })
        // scoring or customer-service down: the cursor stays, the next poll resumes from it
        .onErrorResume(
            e -> {
              log.warn("warning feed poll failed, will resume from the cursor: {}", e.toString());
              return Mono.empty();
            })
        .then();
  }
}
