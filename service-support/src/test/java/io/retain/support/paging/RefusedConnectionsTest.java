package io.retain.support.paging;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.relay.DefaultConnection;
import graphql.relay.DefaultConnectionCursor;
import graphql.relay.DefaultEdge;
import graphql.relay.DefaultPageInfo;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** A refused connection is null, not an empty page beside its error. */
class RefusedConnectionsTest {

  static final DefaultConnection<String> EMPTY =
      new DefaultConnection<>(List.of(), new DefaultPageInfo(null, null, false, false));

  static DataFetcherResult<Object> result(Object data, boolean refused) {
    var b = DataFetcherResult.newResult().data(data);
    if (refused) {
      b.error(GraphqlErrorBuilder.newError().message("first 0 is out of range").build());
    }
    return b.build();
  }

  @Test
  void anEmptyConnectionBesideAnErrorBecomesNullKeepingTheError() {
    Object out =
        ((Mono<?>) RefusedConnections.nullWhenRefused(Mono.just(result(EMPTY, true)))).block();
    assertThat(out).isInstanceOf(DataFetcherResult.class);
    DataFetcherResult<?> r = (DataFetcherResult<?>) out;
    assertThat(r.getData()).isNull();
    assertThat(r.getErrors())
        .extracting(e -> e.getMessage())
        .containsExactly("first 0 is out of range");
  }

  @Test
  void pagesWithoutErrorsOrWithEdgesAreLeftAsTheyAre() {
    DataFetcherResult<Object> empty = result(EMPTY, false);
    assertThat(RefusedConnections.nullWhenRefused(empty)).isSameAs(empty);
    var page =
        new DefaultConnection<>(
            List.of(new DefaultEdge<>("C001", new DefaultConnectionCursor("QzAwMQ"))),
            new DefaultPageInfo(null, null, false, false));
    DataFetcherResult<Object> partial = result(page, true);
    assertThat(RefusedConnections.nullWhenRefused(partial)).isSameAs(partial);
  }
}
