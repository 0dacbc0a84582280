package io.retain.gateway.document;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Parsed (and, through {@link ParsedDocument#derived}, validated and planned) documents by text:
 * clients send the same few operations over and over, and parsing, validation and planning are most
 * of the gateway's own work per request. Bounded by an estimate of the bytes each entry holds, not
 * by a count: 2,000 entries of 60 KB documents were gigabytes of syntax trees.
 */
public final class DocumentCache {

  /**
   * Heap bytes an entry holds per character of its text, on the safe side: a 60 KB document of
   * 5,400 fields held about 7 (tree, validation, a trivial plan); plans of real selections and the
   * JSON of the request around it come on top.
   */
  static final int BYTES_PER_CHARACTER = 24;

  private final ParserLimits limits;
  private final Cache<String, ParsedDocument> cache;

  /**
   * @param maxBytes the heap the entries may hold together (estimated from their texts' sizes)
   */
  public DocumentCache(ParserLimits limits, long maxBytes) {
    this.limits = limits;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((String text, ParsedDocument d) -> weight(text))
            .build();
  }

  /** The document for a text, parsed under the parser limits on first sight. */
  public ParsedDocument get(String text) {
    return cache.get(text, t -> new ParsedDocument(t, limits));
  }

  public ParserLimits limits() {
    return limits;
  }

  /** The estimated heap the entries hold now. */
  public long weightedBytes() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  static int weight(String text) {
    long w = 512L + (long) text.length() * BYTES_PER_CHARACTER;
    return (int) Math.min(Integer.MAX_VALUE, w);
  }
}
