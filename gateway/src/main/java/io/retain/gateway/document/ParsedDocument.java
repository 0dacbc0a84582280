package io.retain.gateway.document;

import graphql.language.Document;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.exceptions.ParseCancelledException;
import graphql.parser.exceptions.ParseCancelledTooDeepException;
import graphql.parser.exceptions.ParseCancelledTooManyCharsException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One document text and what the gateway derived from it: the parsed tree (or why it could not be
 * parsed) and the current engine's validation and plans, kept together so that one cache entry,
 * weighed by the text's size, bounds them all.
 */
public final class ParsedDocument {

  /** Why the parser stopped early: one of the parser's own limits, with its code. */
  public record Cancelled(String code, String message, long limit) {}

  private final String text;
  private final @Nullable Document document;
  private final @Nullable Cancelled cancelled;
  private final AtomicReference<@Nullable Object> derived = new AtomicReference<>();

  ParsedDocument(String text, ParserLimits limits) {
    this.text = text;
    Document doc = null;
    Cancelled why = null;
    try {
      doc =
          new graphql.parser.Parser()
              .parseDocument(
                  graphql.parser.ParserEnvironment.newParserEnvironment()
                      .document(text)
                      .parserOptions(limits.options())
                      .build());
    } catch (ParseCancelledTooManyCharsException e) {
      why =
          new Cancelled(
              "DOCUMENT_TOO_LARGE",
              "The query has more than " + limits.maxCharacters() + " characters",
              limits.maxCharacters());
    } catch (ParseCancelledTooDeepException e) {
      why =
          new Cancelled(
              "QUERY_TOO_DEEP",
              "The query nests deeper than the parser's " + limits.maxRuleDepth() + " rule levels",
              limits.maxRuleDepth());
    } catch (ParseCancelledException e) {
      // more grammar or whitespace tokens than allowed: which one is in the parser's message
      boolean whitespace = String.valueOf(e.getMessage()).contains("whitespace");
      long limit = whitespace ? limits.maxWhitespaceTokens() : limits.maxTokens();
      why =
          new Cancelled(
              "DOCUMENT_TOO_LARGE",
              "The query has more than " + limit + (whitespace ? " whitespace" : "") + " tokens",
              limit);
    } catch (InvalidSyntaxException e) {
      // an ordinary syntax error: graphql-java's execution reports it the standard way
    }
    this.document = doc;
    this.cancelled = why;
  }

  public String text() {
    return text;
  }

  /** The parsed tree; null when the text is not a valid document or the parser was cancelled. */
  public @Nullable Document document() {
    return document;
  }

  /** Set when one of the parser's limits stopped it. */
  public @Nullable Cancelled cancelled() {
    return cancelled;
  }

  /**
   * What {@code owner} derived from this document (validation, plans), made by {@code make} on
   * first use by that owner; a new owner (the engine of a refreshed supergraph) replaces it.
   */
  @SuppressWarnings("unchecked")
  public <T> T derived(Object owner, Class<T> type, java.util.function.Supplier<T> make) {
    Object d = derived.get();
    if (d instanceof Owned o && o.owner == owner) return (T) o.value;
    T made = make.get();
    derived.set(new Owned(owner, made));
    return made;
  }

  private record Owned(Object owner, Object value) {}
}
