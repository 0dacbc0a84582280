/** Query planning: an operation split into fetch steps per subgraph boundary. */
@org.jspecify.annotations.NullMarked
package io.retain.gateway.plan;
