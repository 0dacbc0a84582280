package io.retain.gateway.cockpit;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.retain.gateway.trusted.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cockpit's documents are the first trusted-document manifest ({@code trusted/cockpit.json}):
 * the cockpit sends each screen's {@code .graphql} file as it is, so a gateway in manifest mode
 * runs the whole cockpit and nothing else. A changed screen document fails here until the manifest
 * is regenerated: {@code ./mvnw -pl gateway test -Dtest=CockpitManifestTest
 * -Dcockpit.manifest.write}.
 */
class CockpitManifestTest {

  static final Path COMMITTED = Path.of("src/main/resources/trusted/cockpit.json");
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Test
  void theCommittedManifestHoldsExactlyTheCockpitsDocuments() throws Exception {
    Resource[] docs =
        new PathMatchingResourcePatternResolver()
            .getResources("classpath:static/cockpit/screens/*.graphql");
    Arrays.sort(docs, Comparator.comparing(Resource::getFilename));
    List<Map<String, Object>> operations = new ArrayList<>();
    for (Resource r : docs) {
      String body = r.getContentAsString(StandardCharsets.UTF_8);
      var first = Parser.parse(body).getDefinitionsOfType(OperationDefinition.class).get(0);
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("id", sha256(body));
      op.put("name", r.getFilename().replace(".graphql", ""));
      op.put("type", first.getOperation().name().toLowerCase());
      op.put("body", body);
      operations.add(op);
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", "apollo-persisted-query-manifest");
    manifest.put("version", 1);
    manifest.put("operations", operations);
    String expected = JSON.writeValueAsString(manifest) + "\n";
    if (System.getProperty("cockpit.manifest.write") != null) {
      Files.createDirectories(COMMITTED.getParent());
      Files.writeString(COMMITTED, expected);
    }
    assertThat(operations).hasSizeGreaterThanOrEqualTo(6);
    assertThat(Files.readString(COMMITTED))
        .as("regenerate with -Dcockpit.manifest.write (see this class)")
        .isEqualTo(expected);
    // and the gateway accepts it as a manifest
    Manifest read =
        Manifest.read(List.of(new org.springframework.core.io.FileSystemResource(COMMITTED)), JSON);
    assertThat(read.size()).isEqualTo(operations.size());
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
