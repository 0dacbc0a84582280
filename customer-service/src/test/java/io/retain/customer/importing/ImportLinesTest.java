package io.retain.customer.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.core.io.buffer.PooledDataBuffer;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * An upload's body buffers are released exactly once by the line splitter, whether the file is read
 * to its end or refused half-way. Each buffer here starts with two references, as the server hands
 * them over (one is the server's own, released by it after delivery), and the pipeline ends in a
 * discard hook that releases what an operator drops, as WebFlux's codecs do: a buffer released
 * twice would end with no reference left, and Netty would fail the server's own release later
 * (IllegalReferenceCountException, logged by reactor-netty for a refused file).
 */
class ImportLinesTest {

  private final NettyDataBufferFactory buffers =
      new NettyDataBufferFactory(new UnpooledByteBufAllocator(false));

  private NettyDataBuffer held(String text) {
    return held(text.getBytes(StandardCharsets.UTF_8));
  }

  private NettyDataBuffer held(byte[] bytes) {
    NettyDataBuffer b = buffers.wrap(buffers.getByteBufAllocator().buffer().writeBytes(bytes));
    b.retain();
    return b;
  }

  private Flux<String> lines(List<NettyDataBuffer> body) {
    return Utf8Lines.of(Flux.fromIterable(body), 65536)
        .map(Utf8Lines.Line::text)
        .doOnDiscard(PooledDataBuffer.class, DataBufferUtils::release);
  }

  @Test
  void aFileReadToItsEndReleasesEveryBufferOnce() {
    List<NettyDataBuffer> body = List.of(held("a,b\nc"), held(",d\ne,f\n"));
    StepVerifier.create(lines(body)).expectNext("a,b", "c,d", "e,f").verifyComplete();
    assertThat(body).allSatisfy(b -> assertThat(b.getNativeBuffer().refCnt()).isEqualTo(1));
  }

  @Test
  void aLineThatIsNotUtf8RefusesTheFileAndReleasesItsBufferOnce() {
    NettyDataBuffer good = held("{\"id\":\"U1\"}\n");
    NettyDataBuffer bad =
        held(new byte[] {'{', '"', 'i', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
    NettyDataBuffer unread = held("{\"id\":\"U3\"}\n");
    StepVerifier.create(lines(List.of(good, bad, unread)))
        .expectNext("{\"id\":\"U1\"}")
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ImportService.FileRejected.class)
                    .hasMessage("Line 2 is not valid UTF-8: the file must be UTF-8 encoded"))
        .verify();
    assertThat(good.getNativeBuffer().refCnt()).isEqualTo(1);
    assertThat(bad.getNativeBuffer().refCnt()).as("released once, not twice").isEqualTo(1);
    // never split: released by the discard hook if it had been prefetched, else left to its owner
    assertThat(unread.getNativeBuffer().refCnt()).isBetween(1, 2);
  }

  @Test
  void aLineOverTheCapIsSkippedHoldingAtMostTheCapAndHashedWhole() throws Exception {
    Utf8Lines.Splitter splitter = new Utf8Lines.Splitter(65536);
    byte[] piece = new byte[8192];
    java.util.Arrays.fill(piece, (byte) 'x');
    var sha = java.security.MessageDigest.getInstance("SHA-256");
    List<Utf8Lines.Line> out = new java.util.ArrayList<>();
    out.addAll(splitter.feed(buffers.wrap("short\n".getBytes(StandardCharsets.UTF_8))));
    for (int i = 0; i < 2048; i++) { // 16 MiB in 8 KiB chunks, as a network delivers them
      out.addAll(splitter.feed(buffers.wrap(piece.clone())));
      sha.update(piece);
      assertThat(splitter.held()).isLessThanOrEqualTo(65536);
    }
    out.addAll(splitter.feed(buffers.wrap("\nnext\n".getBytes(StandardCharsets.UTF_8))));
    assertThat(out).extracting(Utf8Lines.Line::number).containsExactly(1L, 2L, 3L);
    Utf8Lines.Line skipped = out.get(1);
    assertThat(skipped.tooLong()).isTrue();
    assertThat(skipped.bytes()).isEqualTo(16L << 20);
    assertThat(skipped.text()).hasSize(Utf8Lines.PREFIX_BYTES + 1).startsWith("xxx").endsWith("…");
    assertThat(skipped.hash()).isEqualTo(java.util.HexFormat.of().formatHex(sha.digest()));
    assertThat(out.get(2).text()).isEqualTo("next");
    assertThat(out.get(0).tooLong()).isFalse();
  }

  @Test
  void aLineOfExactlyTheCapIsKeptWhole() {
    Utf8Lines.Splitter splitter = new Utf8Lines.Splitter(10);
    List<Utf8Lines.Line> out = new java.util.ArrayList<>();
    out.addAll(splitter.feed(buffers.wrap("01234".getBytes(StandardCharsets.UTF_8))));
    out.addAll(
        splitter.feed(buffers.wrap("56789\n0123456789a\n".getBytes(StandardCharsets.UTF_8))));
    out.addAll(splitter.finish());
    assertThat(out).extracting(Utf8Lines.Line::text).containsExactly("0123456789", "0123456789…");
    assertThat(out).extracting(Utf8Lines.Line::tooLong).containsExactly(false, true);
  }
}
