package io.retain.scoring.rescoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * How the change feed is doing: its lag (gauges), failures (WARN, at most once a minute while they
 * go on) and health ({@code changeFeed}: DOWN once polls have failed for longer than {@code
 * retain.scoring.change-feed.unhealthy-after}).
 *
 * <p>DOWN rather than OUT_OF_SERVICE: scoring is not being taken out on purpose, a part of it is
 * broken and needs an operator. The indicator is not in the readiness group: stored scores are
 * still served correctly (with their computedAt) and restarting or taking the instance out of
 * rotation would not move the feed (the cause is customer-service or the database).
 */
@Component("changeFeed")
class FeedStatus implements HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(FeedStatus.class);
  private static final Duration WARN_EVERY = Duration.ofMinutes(1);

  private final Clock clock;
  private final Duration unhealthyAfter;
  private final Instant started;
  private volatile long cursor = -1;
  private volatile long head = -1;
  private volatile @Nullable Instant lastSuccess;
  private volatile @Nullable Instant failingSince;
  private volatile @Nullable String lastError;
  private volatile long failures;
  private volatile Instant lastWarned = Instant.EPOCH;

  FeedStatus(
      Clock clock,
      MeterRegistry meters,
      @Value("${retain.scoring.change-feed.unhealthy-after:2m}") Duration unhealthyAfter) {
    this.clock = clock;
    this.unhealthyAfter = unhealthyAfter;
    this.started = clock.instant();
    Gauge.builder("scoring.feed.lag", this, FeedStatus::lag)
        .description(
            "Changes seen on customer-service's feed and not yet committed (at least head - cursor:"
                + " a poll reads up to 1,000)")
        .register(meters);
    Gauge.builder("scoring.feed.seconds.since.success", this, FeedStatus::secondsSinceSuccess)
        .description("Seconds since the last successful change-feed poll (or since start)")
        .baseUnit("seconds")
        .register(meters);
  }

  double lag() {
    return head < 0 || cursor < 0 ? 0 : Math.max(0, head - cursor);
  }

  double secondsSinceSuccess() {
    Instant since = lastSuccess == null ? started : lastSuccess;
    return Duration.between(since, clock.instant()).toMillis() / 1000.0;
  }

  /** The newest position seen on the feed (the last change a poll read). */
  void seen(long position) {
    head = Math.max(head, position);
  }

  /** A poll committed up to {@code position}. */
  void succeeded(long position) {
    cursor = position;
    head = Math.max(head, position);
    lastSuccess = clock.instant();
    if (failingSince != null) {
      log.info(
          "Change feed polls succeed again after {} failures since {}", failures, failingSince);
    }
    failingSince = null;
    failures = 0;
  }

  void failed(Throwable e) {
    Instant now = clock.instant();
    if (failingSince == null) {
      failingSince = now;
    }
    failures++;
    lastError = Failures.rootMessage(e);
    if (Duration.between(lastWarned, now).compareTo(WARN_EVERY) >= 0) {
      lastWarned = now;
      log.warn(
          "Change feed poll failed ({} in a row since {}); scores stay as stored: {}",
          failures,
          failingSince,
          e.toString(),
          e);
    }
  }

  @Override
  public Health health() {
    Instant since = failingSince;
    Health.Builder b =
        since != null && Duration.between(since, clock.instant()).compareTo(unhealthyAfter) > 0
            ? Health.down().withDetail("failingSince", since.toString())
            : Health.up();
    b.withDetail("cursor", cursor).withDetail("lag", (long) lag());
    if (lastSuccess != null) {
      b.withDetail("lastSuccess", lastSuccess.toString());
    }
    if (since != null) {
      b.withDetail("consecutiveFailures", failures).withDetail("lastError", lastError);
    }
    return b.build();
  }
}
