/** Texts for people: risk-factor messages and tier labels from message bundles, per locale. */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.messages;
