package io.retain.gateway.security;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Tokens that verified, kept by their exact text until they expire, so a client sending the same
 * token on every request has its signature checked, its JSON parsed and its claims converted once
 * instead of per request (the JWT decode was ~5% of the gateway's CPU per request, with class
 * loader lookups under it in the fat jar: docs/benchmarks/gateway-cpu-2026-12-07.md).
 *
 * <p>A hit is answered only while {@code now < exp}: the decoder would accept the same text then
 * too (signature, issuer and audience cannot change for the same text, {@code nbf} has passed), and
 * from {@code exp} on the decoder decides again (and refuses, once its clock skew is over). Refused
 * tokens are never kept. Bounded: at {@code max} entries the expired ones are dropped, and
 * everything if that is not enough (the next requests verify again).
 */
public final class VerifiedTokens implements ReactiveJwtDecoder {

  /** Distinct tokens kept (a few hundred bytes each): far more than the clients of one gateway. */
  static final int DEFAULT_MAX = 10_000;

  private final ReactiveJwtDecoder decoder;
  private final Clock clock;
  private final int max;
  private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();
  private volatile boolean enabled = true;

  public VerifiedTokens(ReactiveJwtDecoder decoder) {
    this(decoder, Clock.systemUTC(), DEFAULT_MAX);
  }

  VerifiedTokens(ReactiveJwtDecoder decoder, Clock clock, int max) {
    this.decoder = decoder;
    this.clock = clock;
    this.max = max;
  }

  /** Off: every token is decoded (for {@code GatewayCpuBench}, which measures both). */
  public void enabled(boolean on) {
    this.enabled = on;
    if (!on) verified.clear();
  }

  int size() {
    return verified.size();
  }

  @Override
  public Mono<Jwt> decode(String token) {
    if (!enabled) return decoder.decode(token);
    Jwt hit = verified.get(token);
    if (hit != null) {
      if (clock.instant().isBefore(hit.getExpiresAt())) return Mono.just(hit);
      verified.remove(token, hit);
    }
    return decoder.decode(token).doOnNext(jwt -> remember(token, jwt));
  }

  private void remember(String token, Jwt jwt) {
    Instant exp = jwt.getExpiresAt();
    if (exp == null || !clock.instant().isBefore(exp)) return;
    if (verified.size() >= max) {
      Instant now = clock.instant();
      verified.values().removeIf(j -> !now.isBefore(j.getExpiresAt()));
      if (verified.size() >= max) verified.clear();
    }
    verified.put(token, jwt);
  }
}
