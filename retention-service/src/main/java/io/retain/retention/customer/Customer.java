package io.retain.retention.customer;

/** A reference to a customer owned by customer-service (the federated Customer entity). */
// named Customer so federation resolves _entities to the Customer type by class name
public record Customer(String id) {}
