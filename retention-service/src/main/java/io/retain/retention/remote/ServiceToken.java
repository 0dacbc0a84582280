package io.retain.retention.remote;

import io.retain.support.security.Role;
import io.retain.support.security.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** This service's short-lived SERVICE token for calls to other services, renewed before expiry. */
@Component
public class ServiceToken {

  private static final Duration TTL = Duration.ofMinutes(5);

  private final String secret;
  private final Clock clock;
  private volatile String token;
  private volatile Instant renewAt = Instant.MIN;

  ServiceToken(@Value("${retain.security.jwt-secret}") String secret, Clock clock) {
    this.secret = secret;
    this.clock = clock;
  }

  public String bearer() {
    Instant now = clock.instant();
    if (token == null || now.isAfter(renewAt)) {
      token = Tokens.hs256(secret, "retention-service", TTL, Role.SERVICE);
      renewAt = now.plus(TTL).minusSeconds(60);
    }
    return "Bearer " + token;
  }
}
