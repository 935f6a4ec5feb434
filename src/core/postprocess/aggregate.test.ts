import { describe, expect, it } from 'vitest';
import { createAggregator } from './aggregate.js';

const frames = [Float32Array.of(0.7, 0.2, 0.1), Float32Array.of(0.1, 0.8, 0.1), Float32Array.of(0.4, 0.3, 0.3)];

describe('createAggregator', () => {
  it('mean: the per-class mean of every frame', () => {
    const agg = createAggregator('mean', 3);
    expect(agg.result()).toBeNull();
    frames.forEach((f) => agg.push(f));
    const r = agg.result()!;
    for (let c = 0; c < 3; c++) expect(r[c]).toBeCloseTo(frames.reduce((s, f) => s + f[c], 0) / 3, 6);
    expect(agg.frames()).toBe(3);
  });

  it('max: the per-class maximum over frames', () => {
    const agg = createAggregator('max', 3);
    frames.forEach((f) => agg.push(f));
    expect(Array.from(agg.result()!)).toEqual([0, 1, 2].map((c) => Math.max(...frames.map((f) => f[c]))));
  });

  it('can be read mid-stream without disturbing the running state', () => {
    const agg = createAggregator('mean', 3);
    agg.push(frames[0]);
    expect(agg.result()![0]).toBeCloseTo(0.7, 6);
    agg.push(frames[1]);
    expect(agg.result()![0]).toBeCloseTo(0.4, 6);
  });
});
