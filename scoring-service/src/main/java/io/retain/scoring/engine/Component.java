package io.retain.scoring.engine;

/** The 0–100 components a score is weighted from (DOMAIN.md §4). */
public enum Component {
  REPURCHASE,
  STABILITY,
  FREQUENCY,
  NPS,
  COMPLAINT,
  TENURE;

  /** The lower-case name used in profiles and the API. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
