package io.retain.gateway.trusted;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.ObjectMapper;

/** Reads the trusted-document settings and manifests once, at startup. */
@Configuration
public class TrustedDocumentsConfig {

  private static final Logger log = LoggerFactory.getLogger(TrustedDocumentsConfig.class);

  /**
   * @param mode {@code open} (any document; APQ registers) or {@code manifest} (only the
   *     manifests')
   * @param manifests resource patterns of Apollo persisted-query manifests ({@code file:}, {@code
   *     classpath:}, wildcards allowed)
   * @param registeredMax the memory APQ-registered documents may hold
   */
  @ConfigurationProperties("retain.gateway.documents")
  public record Properties(
      TrustedDocuments.Mode mode, List<String> manifests, DataSize registeredMax) {
    public Properties {
      mode = mode == null ? TrustedDocuments.Mode.OPEN : mode;
      manifests = manifests == null ? List.of() : manifests;
      registeredMax = registeredMax == null ? DataSize.ofMegabytes(16) : registeredMax;
    }
  }

  @Bean
  TrustedDocuments trustedDocuments(Properties props, ObjectMapper json) throws Exception {
    var resolver = new PathMatchingResourcePatternResolver();
    List<Resource> found = new ArrayList<>();
    for (String pattern : props.manifests()) {
      if (pattern.isBlank()) continue;
      Resource[] matched = resolver.getResources(pattern);
      if (matched.length == 0 || !matched[0].exists()) {
        throw new IllegalStateException("no trusted-document manifest at " + pattern);
      }
      found.addAll(List.of(matched));
    }
    Manifest manifest = Manifest.read(found, json);
    if (props.mode() == TrustedDocuments.Mode.MANIFEST && manifest.size() == 0) {
      throw new IllegalStateException(
          "retain.gateway.documents.mode=manifest needs at least one document in"
              + " retain.gateway.documents.manifests");
    }
    log.info(
        "documents: mode {}, {} trusted in {} manifest(s)",
        props.mode(),
        manifest.size(),
        found.size());
    return new TrustedDocuments(props.mode(), manifest, props.registeredMax().toBytes());
  }
}
