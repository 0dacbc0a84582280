package io.retain.scoring.messages;

import io.retain.scoring.engine.RiskFactor;
import io.retain.scoring.engine.Tier;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Renders what the engine produces as codes and arguments ({@code messages*.properties}): a risk
 * factor's message and a tier's label, in English (the base bundle) or Chinese (zh-CN).
 */
@Component
public class Texts {

  private final MessageSource messages;

  public Texts(MessageSource messages) {
    this.messages = messages;
  }

  /**
   * The bundle locale for a caller: the {@code locale} argument if given, else the request's
   * (Accept-Language); any Chinese reads zh-CN, anything else the English base bundle ({@link
   * Locale#ROOT}, so a server whose default locale is Chinese still answers English callers in
   * English).
   */
  public static Locale locale(@Nullable String requested, @Nullable Locale request) {
    boolean chinese =
        requested != null
            ? requested.toLowerCase(Locale.ROOT).startsWith("zh")
            : request != null && request.getLanguage().equals("zh");
    return chinese ? Locale.SIMPLIFIED_CHINESE : Locale.ROOT;
  }

  public String tierLabel(Tier tier, Locale locale) {
    return messages.getMessage("tier." + tier.name(), null, locale);
  }

  /** A churn feature's label ({@code churn.feature.<key>}). */
  public String churnFeatureLabel(String feature, Locale locale) {
    return messages.getMessage("churn.feature." + feature, null, feature, locale);
  }

  public String riskMessage(RiskFactor f, Locale locale) {
    Object[] args =
        f.missing() != null
            ? new Object[] {
              String.join(messages.getMessage("list.separator", null, locale), f.missing())
            }
            : f.messageArguments();
    return messages.getMessage(f.messageKey(), args, locale);
  }
}
