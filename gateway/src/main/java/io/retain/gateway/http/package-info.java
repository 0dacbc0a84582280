/** GraphQL over HTTP: the /graphql handler, GraphiQL and the supergraph refresh route. */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.http;
