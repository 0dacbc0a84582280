package io.retain.scoring.loyalty;

import graphql.schema.DataFetchingEnvironment;
import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.messages.Texts;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * Texts for people on the loyalty types: the tier's label and each risk factor's message (also on
 * warnings), in the language of the {@code locale} argument, else of the request.
 */
@Controller
class TextController {

  private final Texts texts;

  TextController(Texts texts) {
    this.texts = texts;
  }

  @SchemaMapping(typeName = "Loyalty")
  String tierLabel(Loyalty l, @Argument String locale, DataFetchingEnvironment env) {
    return texts.tierLabel(l.a().tier(), Texts.locale(locale, env.getLocale()));
  }

  @SchemaMapping(typeName = "RiskFactor")
  String message(RiskFactor f, @Argument String locale, DataFetchingEnvironment env) {
    return texts.riskMessage(f, Texts.locale(locale, env.getLocale()));
  }
}
