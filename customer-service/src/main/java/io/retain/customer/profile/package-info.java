/**
 * Customer profiles over GraphQL: lookups, filtered pages, entity references, masked contacts and
 * order/ticket/survey history.
 */
@org.jspecify.annotations.NullMarked
package io.retain.customer.profile;
