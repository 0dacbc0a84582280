package io.retain.scoring.profile;

import io.retain.scoring.engine.Component;
import io.retain.scoring.engine.WeightProfile;
import io.retain.support.graphql.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a profile input or an assignment before anything is written: every problem is reported at
 * once, each with its code, the input field and what would have been accepted.
 */
final class ProfileValidation {

  private ProfileValidation() {}

  record ComponentWeightInput(String name, int weight) {}

  record TierThresholdsInput(double diehardAt, double stableAt, double potentialChurnAt) {}

  record TierCapsInput(Integer noPurchaseDays, Double npsBelow, Integer npsMinResponses) {}

  record WeightProfileInput(
      String name,
      List<ComponentWeightInput> weights,
      Double frequencyTarget,
      Integer tenureTargetMonths,
      Integer minPresentWeight,
      TierThresholdsInput thresholds,
      TierCapsInput caps,
      Double margin,
      Double discountRate) {}

  /** The valid profile (version 0 until stored), or the errors. */
  record Result(WeightProfile profile, List<UserError> errors) {}

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  static final String MEASURES =
      Arrays.stream(Component.values()).map(Component::key).collect(Collectors.joining(", "));

  static Result validate(WeightProfileInput in) {
    List<UserError> errors = new ArrayList<>();
    String name = in.name() == null ? "" : in.name().trim();
    if (!NAME.matcher(name).matches()) {
      errors.add(
          new UserError(
              "INVALID",
              "input.name",
              "lower-case letters, digits and dashes (1–64)",
              "profile name '" + name + "' is not allowed"));
    }
    Map<Component, Integer> weights = new EnumMap<>(Component.class);
    int sum = 0;
    List<ComponentWeightInput> ws = in.weights() == null ? List.of() : in.weights();
    for (int i = 0; i < ws.size(); i++) {
      ComponentWeightInput w = ws.get(i);
      String field = "input.weights[" + i + "]";
      Component c = measure(w.name());
      if (c == null) {
        errors.add(
            new UserError(
                "UNKNOWN_MEASURE",
                field + ".name",
                "one of " + MEASURES,
                "unknown measure '" + w.name() + "'"));
      } else if (weights.containsKey(c)) {
        errors.add(
            new UserError(
                "DUPLICATE_MEASURE",
                field + ".name",
                "each measure once",
                "measure '" + c.key() + "' is weighted twice"));
      } else {
        weights.put(c, w.weight());
      }
      if (w.weight() < 0) {
        errors.add(
            new UserError(
                "NEGATIVE_WEIGHT",
                field + ".weight",
                "a weight ≥ 0",
                "weight of '" + w.name() + "' is " + w.weight()));
      }
      sum += w.weight();
    }
    if (sum != 100) {
      errors.add(
          new UserError(
              "WEIGHTS_NOT_100",
              "input.weights",
              "weights summing to 100",
              "weights sum to " + sum));
    }
    TierThresholdsInput t =
        in.thresholds() == null ? new TierThresholdsInput(90, 75, 60) : in.thresholds();
    if (!(0 < t.potentialChurnAt()
        && t.potentialChurnAt() < t.stableAt()
        && t.stableAt() < t.diehardAt()
        && t.diehardAt() <= 100)) {
      errors.add(
          new UserError(
              "UNORDERED_THRESHOLDS",
              "input.thresholds",
              "0 < potentialChurnAt < stableAt < diehardAt ≤ 100",
              String.format(
                  Locale.ROOT,
                  "thresholds diehardAt %s, stableAt %s, potentialChurnAt %s are not ordered",
                  t.diehardAt(),
                  t.stableAt(),
                  t.potentialChurnAt())));
    }
    double frequencyTarget = or(in.frequencyTarget(), 12.0);
    int tenureTarget = or(in.tenureTargetMonths(), 36);
    int minPresent = or(in.minPresentWeight(), 50);
    double margin = or(in.margin(), 0.3);
    double discount = or(in.discountRate(), 0.1);
    TierCapsInput caps = in.caps() == null ? new TierCapsInput(null, null, null) : in.caps();
    int capDays = or(caps.noPurchaseDays(), WeightProfile.NO_PURCHASE_CAP_DAYS);
    double capNps = or(caps.npsBelow(), WeightProfile.NPS_CAP_BELOW);
    int capResponses = or(caps.npsMinResponses(), WeightProfile.NPS_CAP_MIN_RESPONSES);
    range(errors, "input.frequencyTarget", frequencyTarget, 0.1, 1000);
    range(errors, "input.tenureTargetMonths", tenureTarget, 1, 600);
    range(errors, "input.minPresentWeight", minPresent, 1, 100);
    range(errors, "input.margin", margin, 0.0001, 1);
    range(errors, "input.discountRate", discount, 0.0001, 1);
    range(errors, "input.caps.noPurchaseDays", capDays, 1, 3650);
    range(errors, "input.caps.npsBelow", capNps, -100, 100);
    range(errors, "input.caps.npsMinResponses", capResponses, 1, 1000);
    if (!errors.isEmpty()) {
      return new Result(null, errors);
    }
    // the activity aggregates come over a 12-month window, so the profile's window is fixed
    return new Result(
        new WeightProfile(
            name,
            0,
            weights,
            frequencyTarget,
            tenureTarget,
            12,
            minPresent,
            t.diehardAt(),
            t.stableAt(),
            t.potentialChurnAt(),
            capDays,
            capNps,
            capResponses,
            margin,
            discount),
        List.of());
  }

  static Component measure(String name) {
    if (name == null) {
      return null;
    }
    for (Component c : Component.values()) {
      if (c.key().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    return null;
  }

  private static void range(
      List<UserError> errors, String field, double v, double min, double max) {
    if (v < min || v > max || Double.isNaN(v)) {
      errors.add(
          new UserError(
              "INVALID",
              field,
              "from " + fmt(min) + " to " + fmt(max),
              field.substring(field.lastIndexOf('.') + 1) + " " + fmt(v) + " is out of range"));
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static <T> T or(T v, T fallback) {
    return v == null ? fallback : v;
  }

  static final Pattern INDUSTRY = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  static final Pattern SEGMENT =
      Pattern.compile("(INDIVIDUAL|ENTERPRISE)/(KEY|MAJOR|ORDINARY|SMALL)");

  /** The assignment to store (target upper-cased, name trimmed), or why not. */
  record AssignmentCheck(ProfileRepository.Assignment assignment, UserError error) {}

  /** Checks an assignment: exactly one of an industry code or a KIND/VALUE_TIER segment. */
  static AssignmentCheck assignment(String profileName, String industry, String segment) {
    String i = upper(industry);
    String s = upper(segment);
    if ((i == null) == (s == null)) {
      return refused(
          "AMBIGUOUS_TARGET",
          "input",
          "exactly one of industry or segment",
          "assign a profile to one industry or one segment");
    }
    if (i != null && !INDUSTRY.matcher(i).matches()) {
      return refused(
          "INVALID",
          "input.industry",
          "an industry code, e.g. RETAIL",
          "'" + i + "' is not an industry code");
    }
    if (s != null && !SEGMENT.matcher(s).matches()) {
      return refused(
          "INVALID",
          "input.segment",
          "KIND/VALUE_TIER, e.g. ENTERPRISE/KEY",
          "'" + s + "' is not a segment");
    }
    return new AssignmentCheck(
        new ProfileRepository.Assignment(
            s != null ? ProfileRepository.SEGMENT : ProfileRepository.INDUSTRY,
            s != null ? s : i,
            profileName.trim()),
        null);
  }

  private static AssignmentCheck refused(
      String code, String field, String expected, String message) {
    return new AssignmentCheck(null, new UserError(code, field, expected, message));
  }

  private static String upper(String s) {
    return s == null || s.isBlank() ? null : s.trim().toUpperCase(Locale.ROOT);
  }
}
