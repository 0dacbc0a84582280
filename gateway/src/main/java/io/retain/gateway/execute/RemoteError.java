package io.retain.gateway.execute;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.language.SourceLocation;
import java.util.List;
import java.util.Map;

/**
 * An error a subgraph reported (or the gateway reported for a subgraph), re-pathed into the
 * client's result. Its extensions pass through as the subgraph wrote them: no {@code
 * classification} of the gateway's own is added, since the error is not the gateway's.
 */
record RemoteError(String message, List<Object> path, Map<String, Object> extensions)
    implements GraphQLError {

  @Override
  public String getMessage() {
    return message;
  }

  @Override
  public List<Object> getPath() {
    return path;
  }

  @Override
  public Map<String, Object> getExtensions() {
    return extensions;
  }

  @Override
  public List<SourceLocation> getLocations() {
    return null;
  }

  @Override
  public ErrorClassification getErrorType() {
    return null;
  }
}
