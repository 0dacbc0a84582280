/** Loyalty reads, population queries and the rescoring mutations over GraphQL. */
@org.jspecify.annotations.NullMarked
package io.retain.scoring.loyalty;
