package io.retain.support.graphql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;

/**
 * The GraphQL documents a service sends to another, kept as {@code
 * graphql-documents/<name>.graphql} on its classpath. Read once, into constants, at class
 * initialisation: reading during a request would block an event loop (BlockHound refuses it).
 */
public final class RemoteDocuments {

  private RemoteDocuments() {}

  public static String load(String name) {
    String path = "graphql-documents/" + name + ".graphql";
    try {
      return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
  }
}
