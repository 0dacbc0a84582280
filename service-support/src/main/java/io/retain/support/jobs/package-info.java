/** One owner per periodic job across replicas: leases in the service's own database. */
@org.jspecify.annotations.NullMarked
package io.retain.support.jobs;
