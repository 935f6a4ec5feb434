// Golden parity: MMAction2 Video Swin-T (SwinTransformer3D) vs our ONNX on onnxruntime.
import { describe, it } from 'vitest';
import { buildSwin3d } from '../../src/models/converters/mmaction2/swin3d.js';
import { expectGoldenParity, timedParity } from './timed-parity.js';

describe('Video Swin swin_t_32x2x1', () => {
  it('asks for exactly the fixture state_dict and matches its logits within 1e-3', async () => {
    const r = await timedParity('swin_t_32x2x1', buildSwin3d);
    expectGoldenParity(r);
  });
});
