/** Action plans: policy, opening from warnings, life cycle and evaluation of expected effects. */
@org.jspecify.annotations.NullMarked
package io.retain.retention.plan;
