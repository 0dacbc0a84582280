package io.retain.scoring.prediction.churn;

import io.retain.support.graphql.ApiException;
import io.retain.support.graphql.Cursors;

/**
 * A customersByChurnRisk cursor: the sort it belongs to, the row's sort key and its id, so the next
 * page starts right after that row wherever the rows before it moved since (keyset, not offset).
 * The key is the ascending form the query orders by (see {@link ChurnModelRepository#page}).
 */
record ChurnRiskCursor(ChurnRiskCursor.Sort sort, double key, String customerId) {

  /** The list's orders (the schema's ChurnRiskSort). */
  enum Sort {
    EXPECTED_LOST_VALUE,
    PROBABILITY
  }

  /** Opaque to clients: base64url of {@code SORT:key:id} (an id may itself hold colons). */
  String encode() {
    return Cursors.encode(sort + ":" + key + ":" + customerId);
  }

  /**
   * The position in {@code after}, which must come from this list in this sort: anything else (not
   * base64, an offset cursor of the old API, another sort's cursor) is BAD_USER_INPUT on after.
   */
  static ChurnRiskCursor decode(String after, Sort sort) {
    String[] parts = Cursors.decode(after, "after").split(":", 3);
    if (parts.length != 3 || !parts[0].equals(sort.name()) || parts[2].isEmpty()) {
      throw foreign(after, sort);
    }
    double key;
    try {
      key = Double.parseDouble(parts[1]);
    } catch (NumberFormatException e) {
      throw foreign(after, sort);
    }
    // -probability is in [-1, 0]; only the lost value's key is NaN (unknown CLV)
    if (sort == Sort.PROBABILITY && !(key >= -1 && key <= 0)) {
      throw foreign(after, sort);
    }
    return new ChurnRiskCursor(sort, key, parts[2]);
  }

  private static ApiException foreign(String after, Sort sort) {
    return ApiException.badInput(
        "after",
        "a cursor from this list sorted by " + sort,
        "Cursor '" + after + "' is not a position in this list");
  }
}
