package io.retain.support.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Parsed and validated documents by query text. A subgraph hears the same few documents over and
 * over (the gateway's cached plans send identical text, only the variables change), and parsing
 * plus validation would otherwise run on every request. The schema is fixed for the process's life,
 * so a validation result stays true; a document with errors is cached with its errors.
 */
public final class DocumentCache implements PreparsedDocumentProvider {

  private final int maxEntries;
  private final Map<String, PreparsedDocumentEntry> entries = new ConcurrentHashMap<>();

  public DocumentCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  @Override
  public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
      ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
    // many distinct documents (a client building queries by string) must not grow memory without
    // bound: start again rather than track recency, which would cost every hit
    if (entries.size() >= maxEntries) entries.clear();
    return CompletableFuture.completedFuture(
        entries.computeIfAbsent(input.getQuery(), q -> parseAndValidate.apply(input)));
  }

  int size() {
    return entries.size();
  }
}
