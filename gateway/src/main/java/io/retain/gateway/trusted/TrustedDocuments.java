package io.retain.gateway.trusted;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a request's {@code query} and {@code extensions.persistedQuery} into the document to run,
 * or a refusal with its code.
 *
 * <ul>
 *   <li>{@link Mode#OPEN} (default): any document runs, and automatic persisted queries work as
 *       Apollo's clients expect: a hash alone runs a document sent before with that hash, else
 *       {@code PERSISTED_QUERY_NOT_FOUND} (the client then sends hash and text, which registers
 *       it).
 *   <li>{@link Mode#MANIFEST}: only documents in the manifests run, by hash or by full text;
 *       anything else is {@code PERSISTED_QUERY_NOT_IN_LIST} (Apollo Router's code for the same
 *       rule). Nothing registers.
 * </ul>
 *
 * Registered documents live in this gateway's memory, bounded by bytes: another replica or a
 * restart answers NOT_FOUND once and the client registers again, which the protocol allows for.
 */
public final class TrustedDocuments {

  /** Which documents may run. */
  public enum Mode {
    OPEN,
    MANIFEST
  }

  /** What a request resolved to. */
  public sealed interface Resolution {}

  /** Run this document. */
  public record Run(String query) implements Resolution {}

  /**
   * Refused.
   *
   * @param badRequest a malformed request (400 whatever the media type), not a protocol answer
   */
  public record Refused(String code, String message, boolean badRequest) implements Resolution {}

  static final String NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND";
  static final String NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST";
  static final String HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH";
  static final String BAD_REQUEST = "BAD_REQUEST";

  private final Mode mode;
  private final Manifest manifest;
  private final Cache<String, String> registered;

  /**
   * @param registeredBytes the memory registered documents may hold (UTF-16 characters × 2)
   */
  public TrustedDocuments(Mode mode, Manifest manifest, long registeredBytes) {
    this.mode = mode;
    this.manifest = manifest;
    this.registered =
        Caffeine.newBuilder()
            .maximumWeight(registeredBytes)
            .weigher((String hash, String text) -> 160 + text.length() * 2)
            .build();
  }

  public Mode mode() {
    return mode;
  }

  public Manifest manifest() {
    return manifest;
  }

  /**
   * @param query the request's {@code query}, if any
   * @param extensions the request's {@code extensions}, if any
   */
  public Resolution resolve(@Nullable Object query, @Nullable Object extensions) {
    Object pq = extensions instanceof Map<?, ?> ext ? ext.get("persistedQuery") : null;
    if (extensions != null && !(extensions instanceof Map)) {
      return bad("extensions must be an object");
    }
    if (pq == null) return plain(query);
    if (!(pq instanceof Map<?, ?> persisted)) {
      return bad("extensions.persistedQuery must be an object");
    }
    if (!(persisted.get("version") instanceof Number v) || v.intValue() != 1) {
      return bad("extensions.persistedQuery.version must be 1");
    }
    if (!(persisted.get("sha256Hash") instanceof String hash) || !Sha256.isHash(hash)) {
      return bad("extensions.persistedQuery.sha256Hash must be 64 lowercase hexadecimal digits");
    }
    if (query != null && !(query instanceof String)) return bad("query must be a string");
    String text = (String) query;
    if (text != null && !text.isEmpty()) {
      String actual = Sha256.hex(text);
      if (!actual.equals(hash)) {
        return new Refused(
            HASH_MISMATCH,
            "extensions.persistedQuery.sha256Hash is " + hash + " but the query's is " + actual,
            true);
      }
      if (mode == Mode.MANIFEST && !manifest.contains(hash)) return notInList();
      if (mode == Mode.OPEN) registered.put(hash, text);
      return new Run(text);
    }
    String known = manifest.body(hash);
    if (known == null && mode == Mode.OPEN) known = registered.getIfPresent(hash);
    if (known != null) return new Run(known);
    return mode == Mode.MANIFEST
        ? notInList()
        : new Refused(NOT_FOUND, "PersistedQueryNotFound", false);
  }

  private Resolution plain(@Nullable Object query) {
    if (!(query instanceof String q) || q.isBlank()) return bad("query must be a string");
    if (mode == Mode.MANIFEST && !manifest.contains(Sha256.hex(q))) return notInList();
    return new Run(q);
  }

  private static Refused notInList() {
    return new Refused(
        NOT_IN_LIST,
        "This gateway runs only trusted documents: the document is not in its manifest",
        false);
  }

  private static Refused bad(String message) {
    return new Refused(BAD_REQUEST, message, true);
  }

  /** Documents registered through APQ now (not those of the manifest). */
  public long registeredCount() {
    return registered.estimatedSize();
  }
}
