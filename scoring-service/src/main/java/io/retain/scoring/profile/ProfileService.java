package io.retain.scoring.profile;

import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.profile.ProfileRepository.Assignment;
import io.retain.scoring.profile.ProfileValidation.AssignmentCheck;
import io.retain.scoring.profile.ProfileValidation.WeightProfileInput;
import io.retain.support.graphql.UserError;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Weight profiles as data: reads them, and stores a new version or an assignment once {@link
 * ProfileValidation} accepts it; a refusal is a typed result, and nothing is written.
 */
@Service
class ProfileService {

  record WeightProfilePayload(WeightProfile profile, List<UserError> errors) {}

  record AssignWeightProfileInput(String profileName, String industry, String segment) {}

  record ProfileAssignment(String profileName, String industry, String segment) {
    static ProfileAssignment of(Assignment a) {
      boolean segment = ProfileRepository.SEGMENT.equals(a.scope());
      return new ProfileAssignment(
          a.profileName(), segment ? null : a.target(), segment ? a.target() : null);
    }
  }

  record AssignWeightProfilePayload(ProfileAssignment assignment, List<UserError> errors) {}

  private final ProfileRepository profiles;

  ProfileService(ProfileRepository profiles) {
    this.profiles = profiles;
  }

  /** The latest version of every profile, by name. */
  Mono<List<WeightProfile>> latest() {
    return profiles
        .current()
        .map(
            p ->
                p.byName().values().stream()
                    .sorted(Comparator.comparing(WeightProfile::name))
                    .toList());
  }

  /** Every version of one profile, oldest first. */
  Mono<List<WeightProfile>> versions(String name) {
    return profiles
        .current()
        .map(
            p ->
                p.byVersion().values().stream()
                    .filter(w -> w.name().equals(name))
                    .sorted(Comparator.comparingInt(WeightProfile::version))
                    .toList());
  }

  Flux<ProfileAssignment> assignments() {
    return profiles.assignments().map(ProfileAssignment::of);
  }

  Mono<WeightProfilePayload> createVersion(WeightProfileInput input) {
    ProfileValidation.Result checked = ProfileValidation.validate(input);
    if (!checked.errors().isEmpty()) {
      return Mono.just(new WeightProfilePayload(null, checked.errors()));
    }
    return profiles
        .createVersion(checked.profile())
        .map(p -> new WeightProfilePayload(p, List.of()));
  }

  Mono<AssignWeightProfilePayload> assign(AssignWeightProfileInput input) {
    AssignmentCheck checked =
        ProfileValidation.assignment(input.profileName(), input.industry(), input.segment());
    if (checked.error() != null) {
      return refused(checked.error());
    }
    Assignment a = checked.assignment();
    return profiles
        .exists(a.profileName())
        .flatMap(
            exists ->
                exists
                    ? profiles
                        .assign(a)
                        .map(
                            stored ->
                                new AssignWeightProfilePayload(
                                    ProfileAssignment.of(stored), List.of()))
                    : refused(
                        new UserError(
                            "NOT_FOUND",
                            "input.profileName",
                            "an existing profile name",
                            "no profile named '" + a.profileName() + "'")));
  }

  private static Mono<AssignWeightProfilePayload> refused(UserError error) {
    return Mono.just(new AssignWeightProfilePayload(null, List.of(error)));
  }
}
