// Golden parity: MMAction2 Video Swin-T (SwinTransformer3D) vs our ONNX on onnxruntime.
import { describe, expect, it } from 'vitest';
import { buildSwin3d } from '../../src/models/converters/mmaction2/swin3d.js';
import { timedParity } from './timed-parity.js';

describe('Video Swin swin_t_32x2x1', () => {
  it('asks for exactly the fixture state_dict and matches its logits within 1e-3', async () => {
    const r = await timedParity('swin_t_32x2x1', buildSwin3d);
    expect(r.missingKeys).toEqual([]);
    expect(r.unexpectedKeys).toEqual([]);
    expect(r.shapeMismatches).toEqual([]);
    expect(r.relError).toBeLessThanOrEqual(1e-3);
  });
});
