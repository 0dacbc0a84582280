/** Customer profiles for analysts: lookup, filtered pages, masked contact, histories. */
@org.jspecify.annotations.NullMarked
package io.retain.customer.profile;
