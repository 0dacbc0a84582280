package io.retain.support.r2dbc;

import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A driver result read once, either by its consumer (whose cancel drains the rest) or, when the
 * statement was cancelled before anyone read it, by {@link #drain()}: a result nobody reads leaves
 * its rows in the driver and the connection waiting.
 */
final class DrainedResult implements Result {

  private final Result delegate;
  private final AtomicBoolean claimed;

  DrainedResult(Result delegate) {
    this(delegate, new AtomicBoolean());
  }

  private DrainedResult(Result delegate, AtomicBoolean claimed) {
    this.delegate = delegate;
    this.claimed = claimed;
  }

  /** Reads and drops the rows unless a consumer has taken the result. */
  void drain() {
    if (claimed.compareAndSet(false, true)) {
      Flux.from(delegate.getRowsUpdated()).onErrorResume(e -> Mono.empty()).subscribe();
    }
  }

  /**
   * The rows as {@code reading} gives them, given the flag that turns true on a cancel: a mapping
   * that sees it returns {@link #DROPPED} instead of decoding a row nobody will read.
   */
  private <T> Flux<T> read(Function<AtomicBoolean, Publisher<T>> reading) {
    return Flux.defer(
        () -> {
          if (!claimed.compareAndSet(false, true)) {
            return Flux.error(new IllegalStateException("result drained after a cancel"));
          }
          AtomicBoolean dropping = new AtomicBoolean();
          return DrainOnCancel.<T>of(
              reading.apply(dropping), () -> dropping.set(true), t -> {}, () -> {});
        });
  }

  /** What a mapping returns for a row after a cancel; dropped before anyone sees it. */
  private static final Object DROPPED = new Object();

  @SuppressWarnings("unchecked")
  private static <T> T dropped() {
    return (T) DROPPED;
  }

  @Override
  public Publisher<Long> getRowsUpdated() {
    return read(dropping -> Flux.from(delegate.getRowsUpdated()));
  }

  @Override
  public <T> Publisher<T> map(BiFunction<Row, RowMetadata, ? extends T> mapping) {
    return read(
        dropping ->
            Flux.<T>from(
                delegate.map(
                    (row, meta) -> dropping.get() ? dropped() : mapping.apply(row, meta))));
  }

  @Override
  public <T> Publisher<T> map(Function<? super Readable, ? extends T> mapping) {
    return read(
        dropping ->
            Flux.<T>from(
                delegate.map((Readable row) -> dropping.get() ? dropped() : mapping.apply(row))));
  }

  @Override
  public <T> Publisher<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mapping) {
    return read(dropping -> Flux.<T>from(delegate.flatMap(mapping)));
  }

  @Override
  public Result filter(Predicate<Segment> filter) {
    // the filtered result reads the same rows: one claim for both
    return new DrainedResult(delegate.filter(filter), claimed);
  }
}
