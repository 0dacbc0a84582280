/** Bulk import of customers and their activity, with quarantine for bad rows. */
@org.jspecify.annotations.NullMarked
package io.retain.customer.importing;
