package io.retain.gateway.cockpit;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.retain.gateway.limits.QueryLimits;
import io.retain.gateway.limits.QueryLimits.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Every operation the cockpit sends passes the gateway's default limits (depth, aliases, complexity
 * with the page sizes the screens send), so no screen is refused at default settings.
 */
class CockpitDocumentsTest {

  @Test
  void everyCockpitOperationPassesTheDefaultLimits() throws IOException {
    Resource[] docs =
        new PathMatchingResourcePatternResolver()
            .getResources("classpath:static/cockpit/screens/*.graphql");
    List<String> names = new ArrayList<>();
    QueryLimits limits = new QueryLimits(Limits.defaults());
    for (Resource r : docs) {
      String text = r.getContentAsString(StandardCharsets.UTF_8);
      Document document = Parser.parse(text);
      for (OperationDefinition op : document.getDefinitionsOfType(OperationDefinition.class)) {
        names.add(op.getName());
        // the board sends first: 20; the others use literals or the schema's defaults
        assertThat(limits.check(text, op.getName(), Map.of("first", 20)))
            .as(r.getFilename() + " " + op.getName())
            .isEmpty();
      }
    }
    assertThat(names)
        .contains(
            "Board",
            "Warnings",
            "CustomerCard",
            "ChangePlanStatus",
            "ImportBatch",
            "Quarantine",
            "Resubmit",
            "Overview",
            "Campaigns",
            "CreateCampaign",
            "LaunchCampaign",
            "ChurnReport");
  }
}
