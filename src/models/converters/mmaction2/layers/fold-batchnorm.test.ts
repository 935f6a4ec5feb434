// BatchNorm folding: exact per-channel arithmetic in float64, rounded once to float32.
import { describe, expect, it } from 'vitest';
import { foldBatchNorm } from './fold-batchnorm.js';

describe('foldBatchNorm', () => {
  it('scales each output channel and moves mean/beta (and a conv bias) into the bias', () => {
    const bn = { weight: Float32Array.of(2, 0.5), bias: Float32Array.of(1, -1), runningMean: Float32Array.of(0.5, 2), runningVar: Float32Array.of(3, 0.25), eps: 1 };
    // channel 0: scale 2 / sqrt(4) = 1; channel 1: 0.5 / sqrt(1.25)
    const s1 = 0.5 / Math.sqrt(1.25);
    const { weight, bias } = foldBatchNorm(Float32Array.of(1, 2, 3, 4), 2, bn, Float32Array.of(0.25, 1));
    expect(Array.from(weight)).toEqual([1, 2, Math.fround(3 * s1), Math.fround(4 * s1)]);
    expect(bias[0]).toBe(Math.fround((0.25 - 0.5) * 1 + 1));
    expect(bias[1]).toBe(Math.fround((1 - 2) * s1 - 1)); // float64 math, rounded once
    expect(() => foldBatchNorm(new Float32Array(5), 2, bn)).toThrow(/not a multiple of outChannels=2/);
  });
});
