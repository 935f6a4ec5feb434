import { describe, expect, it } from 'vitest';
import { createBoundedQueue } from './bounded-queue.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createBoundedQueue', () => {
  it('delivers items in order and ends after close', async () => {
    const queue = createBoundedQueue<number>(4);
    const producer = (async () => {
      for (let i = 0; i < 10; i++) await queue.push(i);
      queue.close();
    })();
    const seen: number[] = [];
    for await (const item of queue) seen.push(item);
    await producer;
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('makes push wait while full and never holds more than its capacity', async () => {
    const queue = createBoundedQueue<number>(2);
    let pushed = 0;
    const producer = (async () => {
      for (let i = 0; i < 6; i++) {
        await queue.push(i);
        pushed++;
      }
      queue.close();
    })();
    await tick();
    await tick();
    // Nobody is taking: only `capacity` pushes can have completed.
    expect(pushed).toBe(2);
    expect(queue.size).toBe(2);

    const iterator = queue[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(0);
    await tick();
    expect(pushed).toBe(3);
    const rest: number[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      rest.push(r.value);
      await tick(); // a slow consumer
      expect(queue.size).toBeLessThanOrEqual(2);
    }
    await producer;
    expect(rest).toEqual([1, 2, 3, 4, 5]);
    expect(queue.peakSize).toBe(2);
  });

  it('keeps push order when pushes are not awaited (a late push cannot overtake a waiting one)', async () => {
    const queue = createBoundedQueue<number>(1);
    const pushes = [queue.push(0), queue.push(1), queue.push(2)];
    const iterator = queue[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(0);
    // Room has just been made for 1; a new push arrives before anyone awaits.
    pushes.push(queue.push(3));
    const rest = [];
    for (let i = 0; i < 3; i++) rest.push((await iterator.next()).value);
    await Promise.all(pushes);
    expect(rest).toEqual([1, 2, 3]);
    expect(queue.peakSize).toBe(1);
  });

  it('fail() lets queued items through, then throws the error', async () => {
    const queue = createBoundedQueue<string>(3);
    await queue.push('a');
    await queue.push('b');
    queue.fail(new Error('decoder broke'));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    ).rejects.toThrow('decoder broke');
    expect(seen).toEqual(['a', 'b']);
  });

  it('rejects a waiting push when the queue fails, and pushes after close', async () => {
    const queue = createBoundedQueue<number>(1);
    await queue.push(1);
    const waiting = queue.push(2);
    queue.fail(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');

    const closed = createBoundedQueue<number>(1);
    closed.close();
    await expect(closed.push(1)).rejects.toThrow(/closed/);
    expect(closed.ended).toBe(true);
  });

  it('wakes a consumer that is already waiting', async () => {
    const queue = createBoundedQueue<number>(1);
    const iterator = queue[Symbol.asyncIterator]();
    const next = iterator.next();
    await tick();
    await queue.push(42);
    expect(await next).toEqual({ value: 42, done: false });
    queue.close();
    expect((await iterator.next()).done).toBe(true);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => createBoundedQueue(0)).toThrow(/'capacity' must be an integer >= 1, got 0/);
    expect(() => createBoundedQueue(1.5)).toThrow(/got 1.5/);
  });
});
