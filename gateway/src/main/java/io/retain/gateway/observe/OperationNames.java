package io.retain.gateway.observe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The operation name a metric is tagged with, bounded: an unnamed operation is {@value #ANONYMOUS},
 * the first {@code max} distinct names are kept as they are and any name after those is {@value
 * #OTHER}, so clients sending generated names cannot grow the series without end.
 */
public final class OperationNames {

  public static final String ANONYMOUS = "anonymous";
  public static final String OTHER = "other";

  private final int max;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  public OperationNames(int max) {
    if (max < 0) throw new IllegalArgumentException("max must be >= 0, was " + max);
    this.max = max;
  }

  public String tag(@Nullable String name) {
    if (name == null || name.isEmpty()) return ANONYMOUS;
    if (seen.contains(name)) return name;
    synchronized (this) {
      if (seen.contains(name)) return name;
      if (seen.size() >= max) return OTHER;
      seen.add(name);
      return name;
    }
  }
}
