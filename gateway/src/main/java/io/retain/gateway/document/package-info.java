/** Client documents parsed once under the parser's limits, kept in one cache bounded by bytes. */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.document;
