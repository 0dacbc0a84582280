package io.retain.scoring.customer;

/**
 * A customer owned by customer-service, as scoring sees it: the key; scoring adds its fields. The
 * name matches the GraphQL type so federation resolves _entities to it.
 */
public record Customer(String id) {}
