/** GraphQL types shared by retention's features (typed business errors). */
@org.jspecify.annotations.NullMarked
package io.retain.retention.graphql;
