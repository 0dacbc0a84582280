package io.retain.support.r2dbc;

import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

/**
 * Passes a driver publisher's signals on, but does not pass a cancel up: a cancel turns into
 * reading the rest and dropping it, so the driver sees its conversation with PostgreSQL to the end
 * and the connection stays usable (see {@link GuardedConnection} for why a cancel reaching the
 * driver is not safe).
 */
final class DrainOnCancel<T> implements CoreSubscriber<T>, Subscription {

  private final CoreSubscriber<? super T> actual;
  private final Runnable onCancel;
  private final Consumer<? super T> onDropped;
  private final Runnable onEnd;
  private Subscription upstream;
  private volatile boolean cancelled;
  private volatile boolean done;

  private DrainOnCancel(
      CoreSubscriber<? super T> actual,
      Runnable onCancel,
      Consumer<? super T> onDropped,
      Runnable onEnd) {
    this.actual = actual;
    this.onCancel = onCancel;
    this.onDropped = onDropped;
    this.onEnd = onEnd;
  }

  /**
   * {@code source} whose cancel runs {@code onCancel} and then drains: elements that arrive after
   * it go to {@code onDropped}; {@code onEnd} runs when the source ends (completed or failed),
   * drained or not.
   */
  static <T> Flux<T> of(
      Publisher<T> source, Runnable onCancel, Consumer<? super T> onDropped, Runnable onEnd) {
    return new Flux<T>() {
      @Override
      public void subscribe(CoreSubscriber<? super T> actual) {
        source.subscribe(new DrainOnCancel<>(actual, onCancel, onDropped, onEnd));
      }
    };
  }

  @Override
  public void onSubscribe(Subscription s) {
    upstream = s;
    actual.onSubscribe(this);
  }

  @Override
  public void onNext(T t) {
    if (cancelled) {
      onDropped.accept(t);
    } else {
      actual.onNext(t);
    }
  }

  @Override
  public void onError(Throwable e) {
    done = true;
    onEnd.run();
    if (!cancelled) {
      actual.onError(e);
    }
  }

  @Override
  public void onComplete() {
    done = true;
    onEnd.run();
    if (!cancelled) {
      actual.onComplete();
    }
  }

  @Override
  public void request(long n) {
    if (!cancelled) {
      upstream.request(n);
    }
  }

  @Override
  public void cancel() {
    if (!cancelled && !done) {
      cancelled = true;
      onCancel.run();
      upstream.request(Long.MAX_VALUE);
    }
  }

  @Override
  public Context currentContext() {
    return actual.currentContext();
  }
}
