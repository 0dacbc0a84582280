package io.retain.customer.activity;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * A customer's purchase summary as of a date, the input of scoring's purchase model (DOMAIN.md
 * §10.1): completed non-test orders placed by the end of the date, all orders of one UTC calendar
 * day merged into one purchase day. Streamed as one JSON array per line in this order.
 *
 * @param repeatPurchases x = distinct purchase days − 1
 * @param meanRepeatSpend mean spend of the purchase days after the first; null when x = 0
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({
  "customerId",
  "repeatPurchases",
  "firstPurchase",
  "lastPurchase",
  "meanRepeatSpend"
})
public record PurchaseSummary(
    String customerId,
    int repeatPurchases,
    LocalDate firstPurchase,
    LocalDate lastPurchase,
    @Nullable BigDecimal meanRepeatSpend) {}
