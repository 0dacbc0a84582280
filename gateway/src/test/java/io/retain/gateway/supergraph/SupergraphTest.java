package io.retain.gateway.supergraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.language.AstPrinter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A composer-written supergraph is read into ownership, keys and a clean client schema. */
class SupergraphTest {

  private final Supergraph sg;

  SupergraphTest() throws Exception {
    sg =
        Supergraph.parse(
            SupergraphSource.read(
                "file:"
                    + Path.of("src/test/resources/supergraph/products.graphql").toAbsolutePath()));
  }

  @Test
  void subgraphUrlsComeFromJoinGraph() {
    assertThat(sg.urls())
        .containsEntry("INVENTORY", "http://inventory/graphql")
        .containsEntry("PRODUCTS", "http://products/graphql");
  }

  @Test
  void keysArePerSubgraphIncludingCompositeAndMultipleKeys() {
    assertThat(sg.key("Product", "INVENTORY").fields()).isEqualTo("upc");
    assertThat(sg.type("Product").keys())
        .extracting(Supergraph.Key::fields)
        .containsExactly("upc", "upc", "id sku");
  }

  @Test
  void typesAreFrozenOnceParsedSoCachedPlansCannotSeeThemChange() {
    Supergraph.TypeInfo product = sg.type("Product");
    assertThatThrownBy(() -> product.keys().add(new Supergraph.Key("X", "id", true)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> product.graphs().add("X"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> product.fields().get("weight").graphs().add("INVENTORY"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> product.fields().get("shippingEstimate").requires().put("X", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> sg.urls().put("X", "http://x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(sg.owners("Product", "weight")).containsExactly("PRODUCTS");
    assertThat(sg.urls()).doesNotContainKey("X");
  }

  @Test
  void ownershipHonoursExternalOverrideAndRequires() {
    assertThat(sg.resolvable("Product", "weight", "PRODUCTS")).isTrue();
    assertThat(sg.resolvable("Product", "weight", "INVENTORY")).isFalse();
    assertThat(sg.owners("Product", "inStock")).containsExactly("INVENTORY");
    assertThat(sg.type("Product").fields().get("shippingEstimate").requires())
        .containsEntry("INVENTORY", "weight");
    assertThat(sg.resolvable("Product", "upc", "INVENTORY")).isTrue();
    assertThat(sg.resolvable("Product", "upc", "PRODUCTS")).isTrue();
  }

  @Test
  void clientSchemaHidesFederationMachineryAndInaccessibleElements() {
    String client = AstPrinter.printAst(sg.clientSchema());
    assertThat(client)
        .doesNotContain("join__")
        .doesNotContain("link__")
        .doesNotContain("@link")
        .doesNotContain("internal")
        .doesNotContain("SECRET")
        .doesNotContain("directive @")
        .contains("shippingEstimate")
        .contains("BOOK")
        .contains("implements Node");
  }
}
