/** Consumes scoring's warning feed from a stored cursor and opens plans. */
@org.jspecify.annotations.NullMarked
package io.retain.retention.feed;
