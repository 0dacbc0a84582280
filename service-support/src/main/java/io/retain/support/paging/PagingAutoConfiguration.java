package io.retain.support.paging;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.graphql.data.pagination.EncodingCursorStrategy;

/**
 * The cursor strategy Spring for GraphQL uses for {@code ScrollSubrange} arguments and for the
 * {@code Window} to connection adapter. Before Boot's, whose default (JSON keys in the cursor)
 * would change every cursor clients hold.
 */
@AutoConfiguration(before = GraphQlAutoConfiguration.class)
public class PagingAutoConfiguration {

  /** An {@code EncodingCursorStrategy}, the type Boot's default backs off for. */
  @Bean
  EncodingCursorStrategy<ScrollPosition> keysetCursorStrategy() {
    return KeysetCursorStrategy.encoded();
  }
}
