package io.retain.support.events;

import java.util.Map;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code retain.events} selects the transport named by the annotation. */
class OnEventTransportCondition implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Map<String, Object> attributes =
        metadata.getAnnotationAttributes(ConditionalOnEventTransport.class.getName());
    return attributes != null
        && attributes.get("value") == EventTransport.of(context.getEnvironment());
  }
}
