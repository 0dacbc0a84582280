/**
 * GraphQL over WebSocket (the graphql-ws protocol, {@code graphql-transport-ws}) at {@code
 * /graphql}: subscriptions are forwarded to the subgraph that owns the root field, and each event's
 * fields owned elsewhere are resolved through {@code _entities} like a query's.
 */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.subscription;
