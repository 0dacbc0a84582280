package io.retain.scoring.customer;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.retain.scoring.engine.Activity;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * customer-service's activity aggregates as one JSON array, the fields in the contract's order
 * (docs/contracts.md, the bulk stream's {@code shape=array}; scoring's Activity record): how the
 * bulk stream is read and how stored inputs are kept. Pinned here rather than taken from the
 * record, so that reordering its components never changes how streams or stored rows read.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({
  "customerId",
  "since",
  "kind",
  "industry",
  "valueTier",
  "region",
  "status",
  "accountManagerChangedAt",
  "ordersInWindow",
  "ordersByBucket",
  "amountSum",
  "amountSumSquares",
  "stabilityOrders",
  "stabilityAmountSum",
  "stabilityAmountSumSquares",
  "lastOrderDate",
  "firstOrderDate",
  "ordersAllTime",
  "spendAllTime",
  "spendInWindow",
  "complaintsInWindow",
  "ticketsInWindow",
  "meanFirstResponseHours",
  "ticketsOpenOver7Days",
  "npsPromoters",
  "npsPassives",
  "npsDetractors",
  "csatMean",
  "csatResponses",
  "purchaseDaysAllTime"
})
public interface ActivityAsArray {

  /**
   * Activity read and written in this shape (shortest round-trip digits, without the JDK's slow
   * path): the bulk stream's lines, the stored inputs.
   */
  ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .addMixIn(Activity.class, ActivityAsArray.class)
          .build();
}
