/**
 * Clients for customer-service and scoring-service, behind named circuit breakers and time limits.
 */
@org.jspecify.annotations.NullMarked
package io.retain.retention.remote;
