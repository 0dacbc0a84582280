package io.retain.support.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * The suite's roles. A token names its own roles; the roles each one implies are added when the
 * token is read, so resolvers check the one role they need ({@code hasRole('ANALYST')}).
 */
public enum Role {
  /** Reads everything but personal data. */
  ANALYST,
  /** Also manages action plans and campaigns. */
  CAMPAIGN_MANAGER,
  /** Imports data and reads personal data. */
  DATA_STEWARD,
  /** Also edits weight profiles, playbooks and thresholds. */
  ADMIN,
  /** Service-to-service calls: reads aggregates and feeds, triggers rescoring. */
  SERVICE;

  /** This role and every role it implies. */
  public Set<Role> withImplied() {
    return switch (this) {
      case ANALYST -> EnumSet.of(ANALYST);
      case CAMPAIGN_MANAGER -> EnumSet.of(CAMPAIGN_MANAGER, ANALYST);
      case DATA_STEWARD -> EnumSet.of(DATA_STEWARD, ANALYST);
      case ADMIN -> EnumSet.allOf(Role.class);
      case SERVICE -> EnumSet.of(SERVICE, ANALYST);
    };
  }

  /** The Spring Security authority name. */
  public String authority() {
    return "ROLE_" + name();
  }
}
