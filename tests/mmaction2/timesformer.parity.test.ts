// Golden parity: MMAction2 TimeSformer (divided space-time) vs our ONNX on onnxruntime.
import { describe, expect, it } from 'vitest';
import { buildTimesformer } from '../../src/models/converters/mmaction2/timesformer.js';
import { loadFixture } from './parity-harness.js';
import { expectGoldenParity, timedParity } from './timed-parity.js';

describe('TimeSformer timesformer_divst_8x32x1', () => {
  it('asks for exactly the fixture state_dict and matches its logits within 1e-3', async () => {
    const r = await timedParity('timesformer_divst_8x32x1', buildTimesformer);
    expect(r.views).toBe(1);
    expectGoldenParity(r);
  });

  it('refuses a clip whose frame count differs from time_embed', () => {
    const fx = loadFixture('timesformer_divst_8x32x1');
    const source = { param: (_k: string, s: readonly number[]) => new Float32Array(s.reduce((a, b) => a * b, 1)), buffer: () => {}, declared: () => [] };
    expect(() => buildTimesformer(fx.model, source, { viewShape: [3, 16, 224, 224] })).toThrow(/frames = 16, but this model needs 8/);
  });
});
