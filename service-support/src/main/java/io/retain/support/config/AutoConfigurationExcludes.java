package io.retain.support.config;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/** Adds auto-configurations to {@code spring.autoconfigure.exclude} from a post-processor. */
public final class AutoConfigurationExcludes {

  private static final String EXCLUDE = "spring.autoconfigure.exclude";

  private AutoConfigurationExcludes() {}

  /**
   * Puts {@code classes} in front of what is excluded already (the application's own list and any
   * other post-processor's): the new source wins, so it carries the union.
   */
  public static void add(ConfigurableEnvironment env, String source, Collection<String> classes) {
    Set<String> excluded =
        new LinkedHashSet<>(
            StringUtils.commaDelimitedListToSet(env.getProperty(EXCLUDE, String.class, "")));
    excluded.addAll(classes);
    env.getPropertySources()
        .addFirst(
            new MapPropertySource(
                source, Map.of(EXCLUDE, StringUtils.collectionToCommaDelimitedString(excluded))));
  }
}
