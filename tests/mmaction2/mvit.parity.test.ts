// Golden parity: MMAction2 MViTv2-S vs our ONNX on onnxruntime.
import { describe, expect, it } from 'vitest';
import { buildMvit } from '../../src/models/converters/mmaction2/mvit.js';
import { timedParity } from './timed-parity.js';

describe('MViTv2 mvit_s_16x4x1', () => {
  it('asks for exactly the fixture state_dict and matches its logits within 1e-3', async () => {
    const r = await timedParity('mvit_s_16x4x1', buildMvit);
    expect(r.missingKeys).toEqual([]);
    expect(r.unexpectedKeys).toEqual([]);
    expect(r.shapeMismatches).toEqual([]);
    expect(r.relError).toBeLessThanOrEqual(1e-3);
  });
});
