package io.retain.launcher;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the demo data set (about 2,000 generated customers) on first start: generate with the
 * deterministic generator, import through customer-service's import endpoint, rescore all.
 */
final class DemoLoader {

  private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);

  private DemoLoader() {}

  static void loadIfEmpty(Suite suite, Path work, boolean fresh) {
    // Filled in once the generator and the import endpoint exist.
    log.info("Demo data: not loaded (generator not wired yet)");
  }
}
