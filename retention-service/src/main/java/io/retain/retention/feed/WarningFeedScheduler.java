package io.retain.retention.feed;

import io.retain.support.events.ConditionalOnEventTransport;
import io.retain.support.events.EventTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import reactor.core.publisher.Mono;

/**
 * Polls the warning feed on a fixed delay; off with {@code retain.warning-feed.enabled=false} or
 * under {@code RETAIN_EVENTS=kafka} (then {@link WarningEventsConfiguration} consumes the topic).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnEventTransport(EventTransport.FEED)
@ConditionalOnBooleanProperty(name = "retain.warning-feed.enabled", matchIfMissing = true)
class WarningFeedScheduler {

  private static final Logger log = LoggerFactory.getLogger(WarningFeedScheduler.class);

  private final WarningFeedConsumer consumer;

  WarningFeedScheduler(WarningFeedConsumer consumer) {
    this.consumer = consumer;
  }

  // a Publisher return value: Spring subscribes and waits for it before the next delay
  @Scheduled(fixedDelayString = "${retain.warning-feed.poll-interval:15s}")
  Mono<Void> poll() {
    return consumer
        .drain()
        .doOnNext(n -> log.debug("warning feed: {} warnings consumed", n))
        // scoring or customer-service down: the cursor stays, the next poll resumes from it
        .onErrorResume(
            e -> {
              log.warn("warning feed poll failed, will resume from the cursor: {}", e.toString());
              return Mono.empty();
            })
        .then();
  }
}
