/** Bulk import of customers and their activity, with quarantine for bad rows. */
package io.retain.customer.importing;
