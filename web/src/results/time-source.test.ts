import { describe, expect, it } from 'vitest';
import { TimeSource } from './time-source.js';

describe('TimeSource', () => {
  it('gives a new listener the current time, then every change until it unsubscribes', () => {
    const source = new TimeSource();
    source.emit(1.5);
    const seen: number[] = [];
    const stop = source.subscribe((t) => seen.push(t));
    source.emit(2);
    stop();
    source.emit(3);
    expect(seen).toEqual([1.5, 2]);
    expect(source.current).toBe(3);
  });
});
