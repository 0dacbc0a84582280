package io.retain.scoring.messages;

import java.nio.charset.StandardCharsets;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * The application's message bundles as Spring Boot configures them by default (UTF-8, falling back
 * to the system locale), for tests without a context.
 */
public final class Bundles {

  private Bundles() {}

  public static Texts texts() {
    ResourceBundleMessageSource source = new ResourceBundleMessageSource();
    source.setBasename("messages");
    source.setDefaultEncoding(StandardCharsets.UTF_8.name());
    return new Texts(source);
  }
}
