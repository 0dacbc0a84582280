/** customer-service: profiles, activity records, import with quarantine, churn statistics. */
package io.retain.customer;
