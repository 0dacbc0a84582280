package io.retain.retention.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLScalarType;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * ISO-8601 scalars {@code Date} (LocalDate) and {@code DateTime} (OffsetDateTime), until
 * service-support provides them (then its ScalarsAutoConfiguration wires them and this steps
 * aside).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingClass("io.retain.support.graphql.ScalarsAutoConfiguration")
class ScalarsConfig {

  @Bean
  RuntimeWiringConfigurer scalars() {
    return wiring -> {
      wiring
          .scalar(iso("Date", "an ISO date, e.g. 2026-06-30", LocalDate::parse))
          .scalar(iso("DateTime", "an ISO date-time with offset", OffsetDateTime::parse));
    };
  }

  private static <T> GraphQLScalarType iso(
      String name, String description, Function<String, T> parse) {
    return GraphQLScalarType.newScalar()
        .name(name)
        .description(description)
        .coercing(
            new Coercing<T, String>() {
              @Override
              public String serialize(Object value, GraphQLContext ctx, Locale locale) {
                return value.toString();
              }

              @Override
              public T parseValue(Object input, GraphQLContext ctx, Locale locale) {
                try {
                  return parse.apply(input.toString());
                } catch (DateTimeParseException e) {
                  throw new CoercingParseValueException("Expected " + description);
                }
              }

              @Override
              public T parseLiteral(
                  Value<?> input, CoercedVariables vars, GraphQLContext ctx, Locale locale) {
                if (input instanceof StringValue s) {
                  try {
                    return parse.apply(s.getValue());
                  } catch (DateTimeParseException e) {
                    // fall through
                  }
                }
                throw new CoercingParseLiteralException("Expected " + description);
              }
            })
        .build();
  }
}
