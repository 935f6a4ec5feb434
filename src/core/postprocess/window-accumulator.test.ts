import { describe, expect, it } from 'vitest';
import { createWindowAccumulator } from './window-accumulator.js';
import { windowIndexOf } from './window-index.js';

describe('windowIndexOf', () => {
  it('puts a time on a boundary into the later window despite float division', () => {
    expect(0.6 / 0.2).toBeLessThan(3); // the float trap this guards against
    expect(windowIndexOf(0.6, 0.2)).toBe(3);
    expect(windowIndexOf(0.59, 0.2)).toBe(2);
    expect(windowIndexOf(0, 1)).toBe(0);
    expect(windowIndexOf(0.999, 1)).toBe(0);
    expect(windowIndexOf(1, 1)).toBe(1);
    for (let k = 0; k < 1000; k++) expect(windowIndexOf(k * 0.1, 0.1)).toBe(k);
  });
});

describe('createWindowAccumulator', () => {
  it('averages the frames of each window [k*w, (k+1)*w)', () => {
    const acc = createWindowAccumulator(1, 2);
    acc.push(0.0, Float32Array.of(1, 0));
    acc.push(0.5, Float32Array.of(0, 1));
    acc.push(0.99, Float32Array.of(0.5, 0.5));
    acc.push(1.0, Float32Array.of(0.2, 0.8));
    acc.push(3.2, Float32Array.of(0.9, 0.1));
    const w = acc.windows();
    expect(w.map((x) => [x.index, x.frames])).toEqual([[0, 3], [1, 1], [3, 1]]);
    expect(w[0].mean[0]).toBeCloseTo(0.5, 7);
    expect(w[0].mean[1]).toBeCloseTo(0.5, 7);
    expect(Array.from(w[1].mean)).toEqual([Math.fround(0.2), Math.fround(0.8)]);
    expect(w[2].mean[0]).toBeCloseTo(0.9, 7);
  });

  it('stores one array per window, not per frame (memory bounded by windows)', () => {
    const classes = 600;
    const probs = new Float32Array(classes).fill(1 / classes);
    const storedAfter = (fps: number): { stored: number; windows: number; frames: number } => {
      const acc = createWindowAccumulator(1, classes);
      let frames = 0;
      for (let i = 0; i < 60 * fps; i++, frames++) acc.push(i / fps, probs);
      return { stored: acc.storedArrays(), windows: acc.windows().length, frames };
    };
    const slow = storedAfter(5);
    const fast = storedAfter(30);
    expect(fast.frames).toBe(1800);
    expect(slow.windows).toBe(60);
    expect(fast.windows).toBe(60);
    // One array per window, whatever the frame rate.
    expect(fast.stored).toBe(60);
    expect(slow.stored).toBe(fast.stored);
  });

  it('counts a late frame in its (already sealed) window', () => {
    const inOrder = createWindowAccumulator(1, 1);
    const late = createWindowAccumulator(1, 1);
    const frames: [number, number][] = [[0.1, 0.2], [0.5, 0.4], [1.2, 0.9], [0.8, 0.6], [1.5, 0.7]];
    for (const [t, p] of [...frames].sort((a, b) => a[0] - b[0])) inOrder.push(t, Float32Array.of(p));
    for (const [t, p] of frames) late.push(t, Float32Array.of(p));
    const a = inOrder.windows();
    const b = late.windows();
    expect(b.map((w) => w.frames)).toEqual([3, 2]);
    expect(b[0].mean[0]).toBeCloseTo(a[0].mean[0], 6);
    expect(b[1].mean[0]).toBeCloseTo(a[1].mean[0], 6);
  });

  it('keeps accumulating after windows() is read', () => {
    const acc = createWindowAccumulator(1, 1);
    acc.push(0.1, Float32Array.of(1));
    expect(acc.windows()[0].mean[0]).toBe(1);
    acc.push(0.2, Float32Array.of(0));
    expect(acc.windows()).toEqual([{ index: 0, frames: 2, mean: Float32Array.of(0.5) }]);
  });

  it('rejects a bad window size, time or class count', () => {
    expect(() => createWindowAccumulator(0, 3)).toThrow(/window_sec: expected a number > 0, got 0/);
    const acc = createWindowAccumulator(1, 3);
    expect(() => acc.push(-1, new Float32Array(3))).toThrow(/got -1/);
    expect(() => acc.push(0, new Float32Array(4))).toThrow(expect.objectContaining({ code: 'AL_ERR_BAD_MODEL_OUTPUT' }));
  });
});
