package io.retain.scoring.profile;

import io.retain.scoring.engine.WeightProfile;
import io.retain.scoring.profile.ProfileService.AssignWeightProfileInput;
import io.retain.scoring.profile.ProfileService.AssignWeightProfilePayload;
import io.retain.scoring.profile.ProfileService.ProfileAssignment;
import io.retain.scoring.profile.ProfileService.WeightProfilePayload;
import io.retain.scoring.profile.ProfileValidation.WeightProfileInput;
import java.util.List;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Weight profiles over GraphQL: who may read and change them, and their shape in the schema; the
 * checks and storage are {@link ProfileService}'s.
 */
@Controller
class ProfileController {

  record ComponentWeight(String name, int weight) {}

  record TierThresholds(double diehardAt, double stableAt, double potentialChurnAt) {}

  record TierCaps(int noPurchaseDays, double npsBelow, int npsMinResponses) {}

  private final ProfileService profiles;

  ProfileController(ProfileService profiles) {
    this.profiles = profiles;
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<WeightProfile>> weightProfiles() {
    return profiles.latest();
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Mono<List<WeightProfile>> weightProfileVersions(@Argument String name) {
    return profiles.versions(name);
  }

  @QueryMapping
  @PreAuthorize("hasRole('ANALYST')")
  Flux<ProfileAssignment> profileAssignments() {
    return profiles.assignments();
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
    return profiles.createVersion(input);
  }

  @MutationMapping
  @PreAuthorize("hasRole('ADMIN')")
  Mono<AssignWeightProfilePayload> assignWeightProfile(@Argument AssignWeightProfileInput input) {
    return profiles.assign(input);
  }
}
