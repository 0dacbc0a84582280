package io.retain.customer.importing;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Bulk import over HTTP: {@code POST /import/{customers|orders|tickets|surveys|churn}} with a
 * streamed NDJSON or CSV body, or a multipart CSV {@code file}. Role DATA_STEWARD.
 */
@RestController
class ImportController {

  private final ImportService imports;

  ImportController(ImportService imports) {
    this.imports = imports;
  }

  @PostMapping(path = "/import/{entity}", consumes = "application/x-ndjson")
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<ImportService.Result> ndjson(@PathVariable String entity, ServerWebExchange exchange) {
    return imports.importBytes(
        entity, ImportService.Format.NDJSON, exchange.getRequest().getBody());
  }

  @PostMapping(path = "/import/{entity}", consumes = "text/csv")
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<ImportService.Result> csv(@PathVariable String entity, ServerWebExchange exchange) {
    return imports.importBytes(entity, ImportService.Format.CSV, exchange.getRequest().getBody());
  }

  @PostMapping(path = "/import/{entity}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @PreAuthorize("hasRole('DATA_STEWARD')")
  Mono<ImportService.Result> multipart(
      @PathVariable String entity, @RequestPart("file") Mono<FilePart> file) {
    return file.flatMap(
        f -> {
          String name = f.filename().toLowerCase(java.util.Locale.ROOT);
          ImportService.Format format =
              name.endsWith(".ndjson") || name.endsWith(".jsonl")
                  ? ImportService.Format.NDJSON
                  : ImportService.Format.CSV;
          return imports.importBytes(entity, format, f.content());
        });
  }

  @ExceptionHandler(ImportService.FileRejected.class)
  ResponseEntity<Map<String, String>> rejected(ImportService.FileRejected e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .body(Map.of("code", "MALFORMED_FILE", "message", e.getMessage()));
  }

  /**
   * The import failed as a whole and was rolled back: 503 when the database could not be reached or
   * was lost (worth retrying), 500 for a statement it refused.
   */
  @ExceptionHandler(ImportService.ImportFailed.class)
  ResponseEntity<Map<String, String>> failed(ImportService.ImportFailed e) {
    return ResponseEntity.status(
            unavailable(e.getCause())
                ? HttpStatus.SERVICE_UNAVAILABLE
                : HttpStatus.INTERNAL_SERVER_ERROR)
        .body(Map.of("code", "IMPORT_FAILED", "message", e.getMessage()));
  }

  /**
   * By the SQLSTATE where there is one (the driver calls any server error a "resource" error, even
   * one a trigger raised): connection lost (08), server shutting down or session killed (57P), out
   * of resources (53), rolled back for a retry (40). Without one, an I/O or resource failure.
   */
  static boolean unavailable(Throwable e) {
    String state = null;
    boolean resource = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.r2dbc.spi.R2dbcException r && r.getSqlState() != null) {
        state = r.getSqlState();
      }
      resource |=
          t instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
              || t instanceof io.r2dbc.spi.R2dbcTransientException
              || t instanceof java.io.IOException;
    }
    if (state != null) {
      return state.startsWith("08")
          || state.startsWith("57P")
          || state.startsWith("53")
          || state.startsWith("40");
    }
    return resource;
  }
}
