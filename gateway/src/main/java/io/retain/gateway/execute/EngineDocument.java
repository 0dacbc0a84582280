package io.retain.gateway.execute;

import graphql.ParseAndValidate;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import io.retain.gateway.document.ParsedDocument;
import io.retain.gateway.plan.Step;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What one engine derived from a cached document: its validation against the client schema and a
 * plan per operation name. Lives inside the document's cache entry, so the cache's byte bound
 * covers it.
 *
 * @param validated null when the text did not parse (graphql-java's execution reports that)
 */
record EngineDocument(@Nullable PreparsedDocumentEntry validated, Map<String, List<Step>> plans) {

  static EngineDocument of(GraphQLSchema schema, ParsedDocument parsed, Locale locale) {
    if (parsed.document() == null) return new EngineDocument(null, new ConcurrentHashMap<>());
    List<ValidationError> errors = ParseAndValidate.validate(schema, parsed.document(), locale);
    PreparsedDocumentEntry entry =
        errors.isEmpty()
            ? new PreparsedDocumentEntry(parsed.document())
            : new PreparsedDocumentEntry(parsed.document(), errors);
    return new EngineDocument(entry, new ConcurrentHashMap<>());
  }

  /** Valid: it can run without graphql-java's execution. */
  boolean valid() {
    return validated != null && !validated.hasErrors();
  }
}
