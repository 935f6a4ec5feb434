// A platform-free async queue with a fixed capacity: the producer awaits `push` when the queue is
// full (backpressure), the consumer drains it with `for await`. Used between a decoder and the
// model so memory stays flat however long the video is.

export interface BoundedQueue<T> extends AsyncIterable<T> {
  /** Resolves once the item is queued; waits while the queue is full. Rejects after close/fail. */
  push(item: T): Promise<void>;
  /** No more items: the iterator ends after the queued ones are taken. */
  close(): void;
  /** The iterator throws `err` after the queued ones are taken; pending pushes reject. */
  fail(err: unknown): void;
  /** Items waiting to be taken. */
  readonly size: number;
  readonly capacity: number;
  /** Highest `size` seen so far (for tests and metrics). */
  readonly peakSize: number;
  /** True once close() or fail() was called. */
  readonly ended: boolean;
}

interface PushWaiter<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createBoundedQueue<T>(capacity: number): BoundedQueue<T> {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`'capacity' must be an integer >= 1, got ${String(capacity)}.`);
  }
  const items: T[] = [];
  // Pushes that found the queue full, in arrival order: taking an item moves the oldest one in,
  // so items keep their push order even when a new push arrives just as room frees up.
  const pushWaiters: PushWaiter<T>[] = [];
  let takeWaiter: (() => void) | undefined;
  let ended = false;
  let failure: { err: unknown } | undefined;
  let peakSize = 0;

  function wakeTaker(): void {
    const wake = takeWaiter;
    takeWaiter = undefined;
    wake?.();
  }

  function endWith(reason: { err: unknown } | undefined): void {
    if (ended) return;
    ended = true;
    failure = reason;
    const closedError = reason?.err ?? new Error('Queue closed: no more items can be pushed.');
    for (const waiter of pushWaiters.splice(0)) waiter.reject(closedError);
    wakeTaker();
  }

  function enqueue(item: T): void {
    items.push(item);
    peakSize = Math.max(peakSize, items.length);
  }

  function push(item: T): Promise<void> {
    if (ended) return Promise.reject(failure?.err ?? new Error('Queue closed: no more items can be pushed.'));
    if (items.length < capacity && pushWaiters.length === 0) {
      enqueue(item);
      wakeTaker();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => pushWaiters.push({ item, resolve, reject }));
  }

  async function* iterate(): AsyncGenerator<T> {
    for (;;) {
      if (items.length > 0) {
        const item = items.shift() as T;
        const waiter = pushWaiters.shift();
        if (waiter) {
          enqueue(waiter.item);
          waiter.resolve();
        }
        yield item;
        continue;
      }
      if (ended) {
        if (failure) throw failure.err;
        return;
      }
      await new Promise<void>((resolve) => {
        takeWaiter = resolve;
      });
    }
  }

  return {
    push,
    close: () => endWith(undefined),
    fail: (err: unknown) => endWith({ err }),
    get size() {
      return items.length;
    },
    capacity,
    get peakSize() {
      return peakSize;
    },
    get ended() {
      return ended;
    },
    [Symbol.asyncIterator]: () => iterate(),
  };
}
