package io.retain.scoring.customer;

import io.retain.scoring.engine.Activity;

/**
 * One customer's aggregates as read from the bulk stream, with the JSON array they were read from
 * ({@link ActivityAsArray}'s shape), or null when they came in another shape. A rescoring stores
 * that array as the assessment's inputs as it is: writing it again from the record cost a tenth of
 * scoring's CPU in a full rescoring, to get back the same text.
 */
public record ActivityLine(Activity activity, String json) {

  /** The inputs to store: the array read, or the record written in that shape. */
  public String inputs() {
    return json != null ? json : ActivityAsArray.JSON.writeValueAsString(activity);
  }
}
