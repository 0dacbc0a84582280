package io.retain.customer.importing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;

/**
 * Splits a byte stream into lines decoded strictly as UTF-8, in time linear in the bytes: a line
 * longer than the cap is skipped to its newline, keeping only a short prefix and its hash.
 */
final class Utf8Lines {

  /** What is kept of a line that is too long (for the quarantine's {@code raw}). */
  static final int PREFIX_BYTES = 1024;

  /**
   * A line: its text, or (when {@code bytes} is over the cap) a prefix of it and the hash of the
   * whole.
   */
  record Line(long number, String text, long bytes, String hash) {
    boolean tooLong() {
      return hash != null;
    }
  }

  /** Ends the lines at the first that is not UTF-8 (compared by identity). */
  static final Line REFUSED = new Line(-1, "", 0, null);

  private Utf8Lines() {}

  /**
   * The lines of a body. Every buffer is released here, once. A line that is not UTF-8 ends the
   * lines with a marker that becomes the error downstream: thrown from the mapper (or returned as
   * an error publisher, which concatMap calls at once), it would make Reactor discard the buffer as
   * not consumed, and the request's discard hook would release it a second time (Netty then failed
   * the server's own release, IllegalReferenceCountException).
   */
  static Flux<Line> of(Flux<DataBuffer> body, int maxLineBytes) {
    return Flux.defer(
        () -> {
          Splitter acc = new Splitter(maxLineBytes);
          return body.concatMapIterable(
                  buf -> {
                    try {
                      return acc.feed(buf);
                    } finally {
                      DataBufferUtils.release(buf);
                    }
                  })
              .concatWith(Flux.defer(() -> Flux.fromIterable(acc.finish())))
              .handle(
                  (line, sink) -> {
                    if (line == REFUSED) {
                      sink.error(acc.refused);
                    } else {
                      sink.next(line);
                    }
                  });
        });
  }

  /** Lines given as strings (a GraphQL batch): numbered from 1, never too long. */
  static Flux<Line> of(String[] lines) {
    return Flux.range(0, lines.length).map(i -> new Line(i + 1, lines[i], lines[i].length(), null));
  }

  /**
   * Holds the start of a line that spans network chunks, never more than the cap: each byte is
   * copied at most twice (chunk, then pending), so any line length costs linear time.
   */
  static final class Splitter {
    private final int max;
    private byte[] chunk = new byte[8192];
    private byte[] pending = new byte[1024];
    private int pendingLen;
    private long lineBytes;
    private MessageDigest overflow;
    private long lineNo;
    ImportService.FileRejected refused;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    Splitter(int maxLineBytes) {
      this.max = maxLineBytes;
    }

    List<Line> feed(DataBuffer buf) {
      if (refused != null) {
        return List.of();
      }
      int n = buf.readableByteCount();
      if (chunk.length < n) {
        chunk = new byte[n];
      }
      buf.read(chunk, 0, n);
      List<Line> out = new ArrayList<>();
      int start = 0;
      try {
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            out.add(end(chunk, start, i));
            start = i + 1;
          }
        }
        append(chunk, start, n);
      } catch (ImportService.FileRejected e) {
        refused = e;
        out.add(REFUSED);
      }
      return out;
    }

    /** Bytes held for the current line: never more than the cap, however long the line. */
    int held() {
      return pending.length;
    }

    List<Line> finish() {
      if (refused != null || (pendingLen == 0 && lineBytes == 0)) {
        return List.of();
      }
      try {
        return List.of(end(chunk, 0, 0));
      } catch (ImportService.FileRejected e) {
        refused = e;
        return List.of(REFUSED);
      }
    }

    /** The line that ends at {@code b[to]}, whose last bytes are {@code b[from, to)}. */
    private Line end(byte[] b, int from, int to) {
      lineNo++;
      Line line;
      if (lineBytes == 0 && to - from <= max) {
        // the usual line: whole inside this chunk
        line = new Line(lineNo, decode(b, from, to), to - from, null);
      } else {
        append(b, from, to);
        line =
            overflow == null
                ? new Line(lineNo, decode(pending, 0, pendingLen), lineBytes, null)
                : new Line(
                    lineNo,
                    new String(
                            pending, 0, Math.min(pendingLen, PREFIX_BYTES), StandardCharsets.UTF_8)
                        + "…",
                    lineBytes,
                    HexFormat.of().formatHex(overflow.digest()));
      }
      pendingLen = 0;
      lineBytes = 0;
      overflow = null;
      return line;
    }

    /** Adds {@code b[from, to)} to the current line: kept up to the cap, hashed beyond it. */
    private void append(byte[] b, int from, int to) {
      int len = to - from;
      if (len == 0) {
        return;
      }
      if (overflow == null && lineBytes + len > max) {
        overflow = sha256();
        overflow.update(pending, 0, pendingLen);
      }
      lineBytes += len;
      if (overflow != null) {
        overflow.update(b, from, len);
      }
      int keep = Math.min(len, max - pendingLen);
      if (keep > 0) {
        if (pending.length < pendingLen + keep) {
          pending =
              java.util.Arrays.copyOf(
                  pending, (int) Math.min(max, Math.max(pending.length * 2L, pendingLen + keep)));
        }
        System.arraycopy(b, from, pending, pendingLen, keep);
        pendingLen += keep;
      }
    }

    private String decode(byte[] b, int from, int to) {
      int end = to > from && b[to - 1] == '\r' ? to - 1 : to;
      int begin =
          lineNo == 1
                  && end - from >= 3
                  && (b[from] & 0xff) == 0xEF
                  && (b[from + 1] & 0xff) == 0xBB
                  && (b[from + 2] & 0xff) == 0xBF
              ? from + 3
              : from;
      boolean ascii = true;
      for (int i = begin; i < end && ascii; i++) {
        ascii = b[i] >= 0;
      }
      if (ascii) {
        // nothing to decode: Latin-1 is the identity on these bytes, and the cheapest String
        return new String(b, begin, end - begin, StandardCharsets.ISO_8859_1);
      }
      try {
        CharBuffer cb = decoder.decode(ByteBuffer.wrap(b, begin, end - begin));
        return cb.toString();
      } catch (CharacterCodingException e) {
        throw new ImportService.FileRejected(
            "Line " + lineNo + " is not valid UTF-8: the file must be UTF-8 encoded");
      }
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
