package io.retain.scoring.profile;

import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.profile.ProfileRepository.Assignment;
import io.retain.scoring.profile.ProfileValidation.ProfileError;
import io.retain.scoring.profile.ProfileValidation.WeightProfileInput;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Weight profiles as data: read them, store new versions, assign them to industries and segments.
 */
@Controller
class ProfileController {

  record ComponentWeight(String name, int weight) {}

  record TierThresholds(double diehardAt, double stableAt, double potentialChurnAt) {}

  record TierCaps(int noPurchaseDays, double npsBelow, int npsMinResponses) {}

  record WeightProfilePayload(WeightProfile profile, List<ProfileError> errors) {}

  record AssignWeightProfileInput(String profileName, String industry, String segment) {}

  record ProfileAssignment(String profileName, String industry, String segment) {
    static ProfileAssignment of(Assignment a) {
      boolean segment = ProfileRepository.SEGMENT.equals(a.scope());
      return new ProfileAssignment(
          a.profileName(), segment ? null : a.target(), segment ? a.target() : null);
    }
  }

  record AssignWeightProfilePayload(ProfileAssignment assignment, List<ProfileError> errors) {}

  static final Pattern INDUSTRY = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  static final Pattern SEGMENT =
      Pattern.compile("(INDIVIDUAL|ENTERPRISE)/(KEY|MAJOR|ORDINARY|SMALL)");

  private final ProfileRepository profiles;

  ProfileController(ProfileRepository profiles) {
    this.profiles = profiles;
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<WeightProfile>> weightProfiles() {
    return profiles
        .current()
        .map(
            p ->
                p.byName().values().stream()
                    .sorted(Comparator.comparing(WeightProfile::name))
                    .toList());
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<WeightProfile>> weightProfileVersions(@Argument String name) {
    return profiles
        .current()
        .map(
            p ->
                p.byVersion().values().stream()
                    .filter(w -> w.name().equals(name))
                    .sorted(Comparator.comparingInt(WeightProfile::version))
                    .toList());
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<ProfileAssignment> profileAssignments() {
    return profiles.assignments().map(ProfileAssignment::of);
  }

  @SchemaMapping(typeName = "WeightProfile")
  List<ComponentWeight> weights(WeightProfile p) {
    return p.weights().entrySet().stream()
        .map(e -> new ComponentWeight(e.getKey().key(), e.getValue()))
        .toList();
  }

  @SchemaMapping(typeName = "WeightProfile")
  TierThresholds thresholds(WeightProfile p) {
    return new TierThresholds(p.diehardAt(), p.stableAt(), p.potentialChurnAt());
  }

  @SchemaMapping(typeName = "WeightProfile")
  TierCaps caps(WeightProfile p) {
    return new TierCaps(p.noPurchaseCapDays(), p.npsCapBelow(), p.npsCapMinResponses());
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<WeightProfilePayload> createWeightProfileVersion(@Argument WeightProfileInput input) {
    ProfileValidation.Result checked = ProfileValidation.validate(input);
    if (!checked.errors().isEmpty()) {
      return Mono.just(new WeightProfilePayload(null, checked.errors()));
    }
    return profiles
        .createVersion(checked.profile())
        .map(p -> new WeightProfilePayload(p, List.of()));
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<AssignWeightProfilePayload> assignWeightProfile(@Argument AssignWeightProfileInput input) {
    String industry = upper(input.industry());
    String segment = upper(input.segment());
    if ((industry == null) == (segment == null)) {
      return refused(
          "AMBIGUOUS_TARGET",
          "input",
          "exactly one of industry or segment",
          "assign a profile to one industry or one segment");
    }
    if (industry != null && !INDUSTRY.matcher(industry).matches()) {
      return refused(
          "INVALID",
          "input.industry",
          "an industry code, e.g. RETAIL",
          "'" + industry + "' is not an industry code");
    }
    if (segment != null && !SEGMENT.matcher(segment).matches()) {
      return refused(
          "INVALID",
          "input.segment",
          "KIND/VALUE_TIER, e.g. ENTERPRISE/KEY",
          "'" + segment + "' is not a segment");
    }
    String name = input.profileName().trim();
    return profiles
        .exists(name)
        .flatMap(
            exists ->
                exists
                    ? profiles
                        .assign(
                            new Assignment(
                                segment != null
                                    ? ProfileRepository.SEGMENT
                                    : ProfileRepository.INDUSTRY,
                                segment != null ? segment : industry,
                                name))
                        .map(
                            a -> new AssignWeightProfilePayload(ProfileAssignment.of(a), List.of()))
                    : refused(
                        "NOT_FOUND",
                        "input.profileName",
                        "an existing profile name",
                        "no profile named '" + name + "'"));
  }

  private static Mono<AssignWeightProfilePayload> refused(
      String code, String field, String expected, String message) {
    return Mono.just(
        new AssignWeightProfilePayload(
            null, List.of(new ProfileError(code, field, expected, message))));
  }

  private static String upper(String s) {
    return s == null || s.isBlank() ? null : s.trim().toUpperCase(Locale.ROOT);
  }
}
