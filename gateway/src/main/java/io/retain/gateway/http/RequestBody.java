package io.retain.gateway.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;

/**
 * A request body read up to a byte limit. A longer body is still read to its end (and dropped), up
 * to a hard cap, so the refusal is an ordinary 400 on a connection that stays usable, with the
 * body's real size; past the cap reading stops and the connection closes.
 *
 * @param text the body as UTF-8, or null when it was over the limit
 * @param size bytes received
 */
record RequestBody(@Nullable String text, long size) {

  /** Bytes read past the limit before giving up on a body (the connection then closes). */
  static final long DRAIN_CAP = 64L << 20;

  boolean tooLarge() {
    return text == null;
  }

  static Mono<RequestBody> read(ServerRequest req, int limit) {
    return req.body(BodyExtractors.toDataBuffers())
        .reduce(
            new Reading(limit),
            (reading, buffer) -> {
              try {
                reading.add(buffer);
              } finally {
                DataBufferUtils.release(buffer);
              }
              return reading;
            })
        .map(Reading::done)
        .onErrorResume(BeyondDrainCap.class, e -> Mono.just(new RequestBody(null, e.size)));
  }

  /** Reading stopped: the refusal goes out now and the connection closes. */
  private static final class BeyondDrainCap extends RuntimeException {
    final long size;

    BeyondDrainCap(long size) {
      super("request body over " + size + " bytes", null, false, false);
      this.size = size;
    }
  }

  /** The bytes so far; dropped once over the limit (only counted then). */
  private static final class Reading {
    final int limit;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long size;

    Reading(int limit) {
      this.limit = limit;
    }

    void add(DataBuffer buffer) {
      int n = buffer.readableByteCount();
      size += n;
      if (size > limit + DRAIN_CAP) {
        throw new BeyondDrainCap(size);
      }
      if (size > limit) {
        bytes = null;
      } else {
        byte[] chunk = new byte[n];
        buffer.read(chunk);
        bytes.write(chunk, 0, n);
      }
    }

    RequestBody done() {
      return new RequestBody(bytes == null ? null : bytes.toString(StandardCharsets.UTF_8), size);
    }
  }
}
