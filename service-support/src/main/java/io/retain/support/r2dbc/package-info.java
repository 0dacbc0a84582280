/**
 * The cancel guard under each R2DBC pool, so a cancelled query never leaves its connection blocked.
 */
@org.jspecify.annotations.NullMarked
package io.retain.support.r2dbc;
