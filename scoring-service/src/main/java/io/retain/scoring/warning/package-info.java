/** Early warnings: the cursor feed retention-service consumes and a customer's warnings. */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.warning;
