package io.retain.customer.activity;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.retain.support.graphql.ApiException;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bulk form of the aggregates for full rescoring: every customer in id order, read in pages and
 * streamed as NDJSON as they are produced; each line one JSON object, or with {@code shape=array}
 * one JSON array of the same fields in the contract's order (docs/contracts.md), which is a third
 * of the bytes to write and to read.
 */
@RestController
class ActivityStreamController {

  static final int PAGE = 2000;
  private final ActivityRepository activity;
  private final JsonMapper objects;
  private final JsonMapper arrays;

  ActivityStreamController(ActivityRepository activity, JsonMapper json) {
    this.activity = activity;
    // doubles in their shortest form by Schubfach: the JDK's Double.toString (FloatingDecimal) was
    // the largest single cost of writing the stream (a fifth of the encoding)
    this.objects = json.rebuild().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    this.arrays = objects.rebuild().addMixIn(CustomerActivity.class, AsArray.class).build();
  }

  /** The fields in the contract's order (docs/contracts.md), pinned: readers index into them. */
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
  interface AsArray {}

  @GetMapping(path = "/internal/activity", produces = MediaType.APPLICATION_NDJSON_VALUE)
  @PreAuthorize("hasRole('SERVICE')")
  Flux<DataBuffer> stream(
      @RequestParam LocalDate asOf,
      @RequestParam(defaultValue = "12") int windowMonths,
      @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "object") String shape,
      ServerHttpResponse response) {
    JsonMapper json =
        switch (shape) {
          case "object" -> objects;
          case "array" -> arrays;
          default ->
              throw new ApiException(
                  "INVALID_PARAMETER",
                  "shape",
                  "object or array",
                  "shape must be object or array, not " + shape);
        };
    // one buffer, written and flushed once, per page of lines: element by element, the response
    // was a million small writes and flushes (and once, in a 1M benchmark, stopped writing)
    DataBufferFactory buffers = response.bufferFactory();
    return activity
        .pages(after, asOf, windowMonths, PAGE)
        .flatMapSequential(page -> page.collectList().map(p -> lines(p, json, buffers)), 2);
  }

  /**
   * A bad parameter, refused before anything is read, with its code, field and what is accepted.
   */
  @ExceptionHandler(ApiException.class)
  ResponseEntity<Map<String, String>> refused(ApiException e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            Map.of(
                "code", e.code(),
                "field", e.field(),
                "expected", e.expected(),
                "message", e.getMessage()));
  }

  /** One page as one buffer of NDJSON lines (shared with {@link PurchaseSummaryController}). */
  static DataBuffer lines(List<?> page, JsonMapper json, DataBufferFactory buffers) {
    if (page.isEmpty()) {
      return buffers.wrap(new byte[0]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(page.size() * 800);
    // one generator for the page (a generator per line took a pooled buffer and a context each)
    try (SequenceWriter lines = json.writer().withRootValueSeparator("\n").writeValues(out)) {
      lines.writeAll(page);
    }
    out.write('\n');
    return buffers.wrap(out.toByteArray());
  }
}
