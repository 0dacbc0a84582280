package io.retain.support.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;

/** What the current caller may do, read from the reactive security context. */
public final class Caller {

  private Caller() {}

  /** Whether the caller holds {@code role} (directly or implied). */
  public static Mono<Boolean> has(Role role) {
    return ReactiveSecurityContextHolder.getContext()
        .map(c -> c.getAuthentication())
        .map(a -> hasAuthority(a, role))
        .defaultIfEmpty(false);
  }

  /** Personal data is shown in clear only to DATA_STEWARD and ADMIN. */
  public static Mono<Boolean> mayReadPii() {
    return has(Role.DATA_STEWARD);
  }

  static boolean hasAuthority(Authentication a, Role role) {
    return a != null
        && a.isAuthenticated()
        && a.getAuthorities().stream().anyMatch(g -> g.getAuthority().equals(role.authority()));
  }
}
