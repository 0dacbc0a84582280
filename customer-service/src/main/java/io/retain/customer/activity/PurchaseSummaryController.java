package io.retain.customer.activity;

import java.time.LocalDate;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every customer's purchase summary as of a date ({@link PurchaseSummary}), for fitting scoring's
 * purchase model: streamed as NDJSON, one JSON array per line, a page of lines per write, like the
 * bulk activity stream beside it.
 */
@RestController
class PurchaseSummaryController {

  private final PurchaseSummaryRepository summaries;
  private final JsonMapper json;

  PurchaseSummaryController(PurchaseSummaryRepository summaries, JsonMapper json) {
    this.summaries = summaries;
    this.json = json.rebuild().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
  }

  @GetMapping(path = "/internal/purchase-summaries", produces = MediaType.APPLICATION_NDJSON_VALUE)
  @PreAuthorize("hasRole('SERVICE')")
  Flux<DataBuffer> stream(
      @RequestParam LocalDate asOf,
      @RequestParam(required = false) String after,
      ServerHttpResponse response) {
    return summaries
        .pages(after, asOf, ActivityStreamController.PAGE)
        .flatMapSequential(
            page ->
                page.collectList()
                    .map(p -> ActivityStreamController.lines(p, json, response.bufferFactory())),
            2);
  }
}
