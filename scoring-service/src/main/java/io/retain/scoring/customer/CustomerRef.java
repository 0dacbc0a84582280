package io.retain.scoring.customer;

/** A reference to a customer owned by customer-service; scoring adds its own fields. */
public record CustomerRef(String id) {}
