import { describe, expect, it } from 'vitest';
import { smoothingKernel, smoothSeries } from './smoothing.js';

const opts = { sigma_sec: 1, width_sec: 3 };

describe('smoothingKernel', () => {
  it('gaussian weights sum to 1 and match the hand computation (sigma 1 s, 1 s windows)', () => {
    const k = smoothingKernel({ ...opts, method: 'gaussian' }, 1);
    expect(k.length).toBe(7); // radius ceil(3 sigma) = 3
    // exp(-d^2/2) for d = 0..3: 1, 0.60653066, 0.13533528, 0.01110900; Z = 2.50594987
    const z = 1 + 2 * (0.60653066 + 0.13533528 + 0.011109);
    expect(k[3]).toBeCloseTo(1 / z, 7);
    expect(k[2]).toBeCloseTo(0.60653066 / z, 7);
    expect(k[1]).toBeCloseTo(0.13533528 / z, 7);
    expect(k[0]).toBeCloseTo(0.011109 / z, 7);
    expect(k[3]).toBeCloseTo(0.39905, 5);
    expect(k.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    for (let d = 1; d <= 3; d++) expect(k[3 - d]).toBe(k[3 + d]);
  });

  it('measures sigma in seconds, not windows', () => {
    const halfSecondWindows = smoothingKernel({ ...opts, method: 'gaussian' }, 0.5);
    expect(halfSecondWindows.length).toBe(13); // sigma = 2 windows, radius 6
    expect(halfSecondWindows[6 + 2] / halfSecondWindows[6]).toBeCloseTo(Math.exp(-0.5), 10);
  });

  it('moving average covers the windows whose centres lie within width/2', () => {
    expect(Array.from(smoothingKernel({ ...opts, method: 'moving_average', width_sec: 3 }, 1))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(smoothingKernel({ ...opts, method: 'moving_average', width_sec: 2 }, 1).length).toBe(3);
    expect(smoothingKernel({ ...opts, method: 'moving_average', width_sec: 1 }, 1).length).toBe(1);
    expect(smoothingKernel({ ...opts, method: 'moving_average', width_sec: 3 }, 0.5).length).toBe(7);
    expect(Array.from(smoothingKernel({ ...opts, method: 'none' }, 1))).toEqual([1]);
  });

  it('rejects a non-positive sigma or width, naming the field', () => {
    expect(() => smoothingKernel({ ...opts, method: 'gaussian', sigma_sec: 0 }, 1)).toThrow(/analysis\.smoothing\.sigma_sec.*got 0/);
    expect(() => smoothingKernel({ ...opts, method: 'moving_average', width_sec: -1 }, 1)).toThrow(/width_sec.*got -1/);
  });
});

describe('smoothSeries', () => {
  const kernel = smoothingKernel({ ...opts, method: 'gaussian' }, 1);

  it('returns the kernel as the response to an impulse away from the edges', () => {
    // Outputs 4..10 see the impulse at 7 and have their whole 7-tap support inside 0..14.
    const series = Array.from({ length: 15 }, (_, k) => Float32Array.of(k === 7 ? 1 : 0));
    const out = smoothSeries(series, kernel);
    for (let d = -3; d <= 3; d++) expect(out[7 + d]![0]).toBeCloseTo(kernel[d + 3], 7);
    expect(out[3]![0]).toBe(0);
  });

  it('keeps a constant series constant at the edges and across gaps (renormalised weights)', () => {
    const series = [0, 1, 2, 3, 4, 5].map((k) => (k === 2 || k === 3 ? null : Float32Array.of(0.25, 0.75)));
    const out = smoothSeries(series, kernel);
    for (const o of out) {
      expect(o![0]).toBeCloseTo(0.25, 6);
      expect(o![1]).toBeCloseTo(0.75, 6);
    }
  });

  it('fills a gap with the weighted mean of its neighbours, and leaves it empty with no smoothing', () => {
    const series = [Float32Array.of(0), null, Float32Array.of(1)];
    expect(smoothSeries(series, kernel)[1]![0]).toBeCloseTo(0.5, 6);
    expect(smoothSeries(series, smoothingKernel({ ...opts, method: 'none' }, 1))[1]).toBeNull();
  });

  it('renormalises at the left edge: a hand-computed 2-tap case', () => {
    const ma = smoothingKernel({ ...opts, method: 'moving_average', width_sec: 3 }, 1);
    const out = smoothSeries([Float32Array.of(3), Float32Array.of(6), Float32Array.of(9)], ma);
    expect(out.map((o) => o![0])).toEqual([4.5, 6, 7.5]);
  });
});
