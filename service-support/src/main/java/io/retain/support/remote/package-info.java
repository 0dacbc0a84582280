/** Calls to other services: several instances behind one setting, balanced with fail-over. */
@org.jspecify.annotations.NullMarked
package io.retain.support.remote;
