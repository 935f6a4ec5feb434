// Golden parity: MMAction2 MViTv2-S vs our ONNX on onnxruntime.
import { describe, it } from 'vitest';
import { buildMvit } from '../../src/models/converters/mmaction2/mvit.js';
import { expectGoldenParity, timedParity } from './timed-parity.js';

describe('MViTv2 mvit_s_16x4x1', () => {
  it('asks for exactly the fixture state_dict and matches its logits within 1e-3', async () => {
    const r = await timedParity('mvit_s_16x4x1', buildMvit);
    expectGoldenParity(r);
  });
});
