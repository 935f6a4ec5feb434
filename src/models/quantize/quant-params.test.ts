// The quantization arithmetic against ONNX's QuantizeLinear / DequantizeLinear formulas, computed
// here independently: q = saturate(round(x / scale) + zeroPoint), x' = (q - zeroPoint) * scale.
import { describe, expect, it } from 'vitest';
import { fnv1a32, uniformAt } from '../converters/mmaction2/golden-weights.js';
import { activationParams, quantizeBias, quantizeWeightsPerChannel, type ActivationParams } from './quant-params.js';

/** uint8 QuantizeLinear (round half to even, as ONNX specifies) followed by DequantizeLinear. */
function roundTripUint8(x: number, p: ActivationParams): number {
  const scaled = x / p.scale;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  const q = Math.min(255, Math.max(0, rounded + p.zeroPoint));
  return (q - p.zeroPoint) * p.scale;
}

/** Deterministic values in [-1, 1), from the golden-weight hash, so failures reproduce. */
function pseudoRandom(seed: string): () => number {
  const h = fnv1a32(seed);
  let i = 0;
  return () => 2 * uniformAt(h, i++) - 1;
}

const RANGES = [
  { min: -1, max: 3 },
  { min: -3.7, max: 0.2 },
  { min: -1e-3, max: 5e-4 },
  { min: -250, max: 17 },
  { min: 0.5, max: 2 }, // all positive: 0 is added below the range
  { min: -8, max: -2 }, // all negative: 0 is added above it
  { min: -1, max: 1 },
  { min: 0, max: 6 },
];

describe('activationParams', () => {
  it('gives an integer uint8 zero point and a float32 scale', () => {
    for (const range of RANGES) {
      const p = activationParams(range);
      expect(Number.isInteger(p.zeroPoint), JSON.stringify(range)).toBe(true);
      expect(p.zeroPoint).toBeGreaterThanOrEqual(0);
      expect(p.zeroPoint).toBeLessThanOrEqual(255);
      // ONNX stores the scale as float32: the zero point must be computed from that same value.
      expect(Math.fround(p.scale)).toBe(p.scale);
      expect(p.scale).toBeGreaterThan(0);
    }
  });

  it('covers the range and 0, to within half a step at the ends', () => {
    for (const range of RANGES) {
      const p = activationParams(range);
      const lowest = (0 - p.zeroPoint) * p.scale;
      const highest = (255 - p.zeroPoint) * p.scale;
      const lo = Math.min(0, range.min);
      const hi = Math.max(0, range.max);
      // Rounding the zero point to an integer shifts the grid by at most half a step.
      const slack = p.scale / 2 + 1e-9 * Math.max(1, hi - lo);
      expect(lowest, JSON.stringify(range)).toBeLessThanOrEqual(lo + slack);
      expect(highest, JSON.stringify(range)).toBeGreaterThanOrEqual(hi - slack);
      // 255 steps span the range exactly: no resolution is wasted.
      expect(Math.abs(p.scale * 255 - (hi - lo))).toBeLessThanOrEqual(1e-6 * (hi - lo));
    }
  });

  it('round-trips every value of the range to within half a step', () => {
    const next = pseudoRandom('activation values');
    for (const range of RANGES) {
      const p = activationParams(range);
      for (let i = 0; i < 200; i++) {
        const x = range.min + ((next() + 1) / 2) * (range.max - range.min);
        expect(Math.abs(roundTripUint8(x, p) - x), `${x} in ${JSON.stringify(range)}`).toBeLessThanOrEqual(p.scale / 2 + 1e-7 * Math.abs(x));
      }
    }
  });

  it('maps 0 exactly onto the zero point, so zero padding and ReLU zeros stay exact', () => {
    for (const range of RANGES) {
      const p = activationParams(range);
      // The zero point is not clamped away from -min / scale: 0 lies on the grid.
      expect(p.zeroPoint).toBe(Math.round(Math.max(0, -range.min) / p.scale));
      expect(roundTripUint8(0, p)).toBe(0);
    }
  });

  it('gives zero point 0 to a ReLU-like range [0, max], with all 256 levels above 0', () => {
    for (const max of [6, 0.125, 1234.5, 1e-6]) {
      const p = activationParams({ min: 0, max });
      expect(p.zeroPoint).toBe(0);
      expect(p.scale).toBe(Math.fround(max / 255));
    }
  });

  it('gives zero point 255 to an all-negative range', () => {
    expect(activationParams({ min: -8, max: -2 })).toEqual({ scale: Math.fround(8 / 255), zeroPoint: 255 });
  });

  it('gives scale 1 and zero point 0 to a range of only zeros', () => {
    expect(activationParams({ min: 0, max: 0 })).toEqual({ scale: 1, zeroPoint: 0 });
    expect(activationParams({ min: -0, max: 0 })).toEqual({ scale: 1, zeroPoint: 0 });
  });

  it('refuses a range that is not finite (e.g. a value that was never calibrated)', () => {
    for (const range of [
      { min: Infinity, max: -Infinity }, // a range tracker that saw no batch
      { min: NaN, max: 1 },
      { min: 0, max: NaN },
      { min: -Infinity, max: 1 },
      { min: 0, max: Infinity },
    ]) {
      expect(() => activationParams(range), JSON.stringify(range)).toThrow(RangeError);
    }
  });
});

describe('quantizeWeightsPerChannel', () => {
  /** Three output channels of 2x3x3 values with very different magnitudes, and one of zeros. */
  function weights(): { w: Float32Array; channels: number; perChannel: number } {
    const next = pseudoRandom('conv weights');
    const channels = 4;
    const perChannel = 2 * 3 * 3;
    const magnitude = [1, 1e-3, 40, 0];
    const w = new Float32Array(channels * perChannel);
    for (let c = 0; c < channels; c++) for (let i = 0; i < perChannel; i++) w[c * perChannel + i] = next() * magnitude[c]!;
    return { w, channels, perChannel };
  }

  it('uses one scale per output channel: max|w| / 127', () => {
    const { w, channels, perChannel } = weights();
    const q = quantizeWeightsPerChannel(w, channels);
    expect(q.scales.length).toBe(channels);
    for (let c = 0; c < 3; c++) {
      const absMax = Math.max(...Array.from(w.subarray(c * perChannel, (c + 1) * perChannel), Math.abs));
      expect(q.scales[c]).toBe(Math.fround(absMax / 127));
    }
  });

  it('keeps every weight within half a step of its channel after dequantization', () => {
    const { w, channels, perChannel } = weights();
    const q = quantizeWeightsPerChannel(w, channels);
    expect(q.data).toBeInstanceOf(Int8Array);
    expect(q.data.length).toBe(w.length);
    for (let i = 0; i < w.length; i++) {
      const s = q.scales[Math.floor(i / perChannel)]!;
      expect(Math.abs(q.data[i]! * s - w[i]!), `weight ${i}`).toBeLessThanOrEqual(s / 2 * (1 + 1e-6));
    }
  });

  it('is symmetric: the largest |w| of each channel maps to ±127 and -128 is never used', () => {
    const { w, channels, perChannel } = weights();
    const q = quantizeWeightsPerChannel(w, channels);
    for (let c = 0; c < 3; c++) {
      const values = Array.from(q.data.subarray(c * perChannel, (c + 1) * perChannel));
      expect(Math.max(...values.map(Math.abs))).toBe(127);
    }
    expect(Array.from(q.data).includes(-128)).toBe(false);
  });

  it('gives an all-zero channel scale 1 and zero codes', () => {
    const { w, channels, perChannel } = weights();
    const q = quantizeWeightsPerChannel(w, channels);
    expect(q.scales[3]).toBe(1);
    expect(Array.from(q.data.subarray(3 * perChannel))).toEqual(new Array(perChannel).fill(0));
  });

  it('refuses weights that do not split into the output channels', () => {
    expect(() => quantizeWeightsPerChannel(new Float32Array(10), 3)).toThrow(RangeError);
  });
});

describe('quantizeBias', () => {
  const weightScales = Float32Array.of(0.01, 0.002, 0.5);

  it('uses the product of the input scale and each channel weight scale, zero point 0', () => {
    const bias = Float32Array.of(0.3, -0.0071, 12.5);
    const inputScale = Math.fround(6 / 255);
    const q = quantizeBias(bias, inputScale, weightScales);
    expect(q.data).toBeInstanceOf(Int32Array);
    for (let c = 0; c < 3; c++) {
      const s = Math.fround(inputScale * weightScales[c]!);
      expect(q.scales[c]).toBe(s);
      expect(q.data[c]).toBe(Math.round(bias[c]! / s));
      expect(Math.abs(q.data[c]! * s - bias[c]!)).toBeLessThanOrEqual(s / 2 * (1 + 1e-6));
    }
  });

  it('saturates at the int32 limits instead of wrapping', () => {
    // 1e3 / (1e-6 * 1e-2) = 1e11, far beyond int32.
    const q = quantizeBias(Float32Array.of(1e3, -1e3, 5), 1e-6, Float32Array.of(1e-2, 1e-2, 1e-2));
    expect(q.data[0]).toBe(2 ** 31 - 1);
    expect(q.data[1]).toBe(-(2 ** 31 - 1));
    expect(q.data[2]).toBe(Math.round(5 / Math.fround(1e-6 * 1e-2)));
  });

  it('refuses a bias whose length is not the number of channels', () => {
    expect(() => quantizeBias(new Float32Array(2), 0.1, weightScales)).toThrow(RangeError);
  });
});
