package io.retain.gateway.trusted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retain.gateway.trusted.TrustedDocuments.Mode;
import io.retain.gateway.trusted.TrustedDocuments.Refused;
import io.retain.gateway.trusted.TrustedDocuments.Run;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The document rules, one per kind of request, in both modes. */
class TrustedDocumentsTest {

  static final ObjectMapper JSON = JsonMapper.builder().build();
  static final String DOC = "{ me { name } }";
  // SHA-256 of DOC, computed independently (sha256sum of the UTF-8 text)
  static final String DOC_HASH = "b8d9506e34c83b0e53c2aa463624fcea354713bc38f95276e6f0bd893ffb5b88";

  static Map<String, Object> pq(Object hash) {
    return Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
  }

  static Manifest manifestOf(String... bodies) {
    StringBuilder ops = new StringBuilder();
    for (String b : bodies) {
      if (ops.length() > 0) ops.append(',');
      ops.append("{\"id\":\"")
          .append(Sha256.hex(b))
          .append("\",\"name\":\"Op\",\"type\":\"query\",\"body\":")
          .append(JSON.writeValueAsString(b))
          .append('}');
    }
    String text =
        "{\"format\":\"apollo-persisted-query-manifest\",\"version\":1,\"operations\":["
            + ops
            + "]}";
    return Manifest.read(
        List.of(new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8))), JSON);
  }

  @Test
  void hashIsTheSha256OfTheUtf8Text() {
    assertThat(Sha256.hex(DOC)).isEqualTo(DOC_HASH);
  }

  @Test
  void openModeRunsAnyDocumentAndRegistersPersistedQueriesOnTheirFirstFullSending() {
    var docs = new TrustedDocuments(Mode.OPEN, Manifest.empty(), 1 << 20);
    assertThat(docs.resolve(DOC, null)).isEqualTo(new Run(DOC));
    // hash alone, never sent: the client must send the text once
    assertThat(docs.resolve(null, pq(DOC_HASH)))
        .isEqualTo(new Refused("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound", false));
    assertThat(docs.resolve(DOC, pq(DOC_HASH))).isEqualTo(new Run(DOC));
    assertThat(docs.registeredCount()).isEqualTo(1);
    assertThat(docs.resolve(null, pq(DOC_HASH))).isEqualTo(new Run(DOC));
  }

  @Test
  void aHashThatIsNotTheTextsIsRefusedAndRegistersNothing() {
    var docs = new TrustedDocuments(Mode.OPEN, Manifest.empty(), 1 << 20);
    String other = "0".repeat(64);
    var r = (Refused) docs.resolve(DOC, pq(other));
    assertThat(r.code()).isEqualTo("PERSISTED_QUERY_HASH_MISMATCH");
    assertThat(r.message()).contains(other).contains(DOC_HASH);
    assertThat(r.badRequest()).isTrue();
    assertThat(docs.registeredCount()).isZero();
    assertThat(docs.resolve(null, pq(other))).isInstanceOf(Refused.class);
  }

  @Test
  void malformedPersistedQueryExtensionsAreBadRequestsNamingTheField() {
    var docs = new TrustedDocuments(Mode.OPEN, Manifest.empty(), 1 << 20);
    assertThat(((Refused) docs.resolve(null, pq("ABC"))).message())
        .isEqualTo("extensions.persistedQuery.sha256Hash must be 64 lowercase hexadecimal digits");
    assertThat(
            ((Refused)
                    docs.resolve(
                        null,
                        Map.of("persistedQuery", Map.of("version", 2, "sha256Hash", DOC_HASH))))
                .message())
        .isEqualTo("extensions.persistedQuery.version must be 1");
    assertThat(((Refused) docs.resolve(DOC, "x")).message())
        .isEqualTo("extensions must be an object");
    assertThat(((Refused) docs.resolve(null, null)).code()).isEqualTo("BAD_REQUEST");
  }

  @Test
  void manifestModeRunsOnlyManifestDocumentsByHashOrByTextAndRegistersNothing() {
    var docs = new TrustedDocuments(Mode.MANIFEST, manifestOf(DOC), 1 << 20);
    assertThat(docs.resolve(null, pq(DOC_HASH))).isEqualTo(new Run(DOC));
    assertThat(docs.resolve(DOC, null)).isEqualTo(new Run(DOC));

    String other = "{ me { id } }";
    assertThat(((Refused) docs.resolve(other, null)).code())
        .isEqualTo("PERSISTED_QUERY_NOT_IN_LIST");
    assertThat(((Refused) docs.resolve(other, pq(Sha256.hex(other)))).code())
        .isEqualTo("PERSISTED_QUERY_NOT_IN_LIST");
    assertThat(((Refused) docs.resolve(null, pq(Sha256.hex(other)))).code())
        .isEqualTo("PERSISTED_QUERY_NOT_IN_LIST");
    assertThat(docs.registeredCount()).isZero();
  }

  @Test
  void aManifestWhoseIdIsNotItsBodysHashStopsStartupNamingTheOperation() {
    String text =
        "{\"format\":\"apollo-persisted-query-manifest\",\"version\":1,\"operations\":"
            + "[{\"id\":\"abc\",\"name\":\"Me\",\"type\":\"query\",\"body\":\"{ me { name } }\"}]}";
    assertThatThrownBy(
            () ->
                Manifest.read(
                    List.of(new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8))), JSON))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("operation Me has id abc but its body's SHA-256 is " + DOC_HASH);
  }
}
