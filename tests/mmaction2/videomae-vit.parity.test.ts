// Golden parity: MMAction2 VideoMAE ViT-B (VisionTransformer) vs our ONNX on onnxruntime.
import { describe, expect, it } from 'vitest';
import { buildVideoMaeVit } from '../../src/models/converters/mmaction2/videomae-vit.js';
import { loadFixture } from './parity-harness.js';
import { expectGoldenParity, timedParity } from './timed-parity.js';

describe('VideoMAE ViT videomae_vit_b_16x4x1', () => {
  it('asks for exactly the fixture state_dict and matches its logits within 1e-3', async () => {
    const r = await timedParity('videomae_vit_b_16x4x1', buildVideoMaeVit);
    expectGoldenParity(r);
  });

  it('names an unsupported backbone option in its error', () => {
    const fx = loadFixture('videomae_vit_b_16x4x1');
    const model = { ...fx.model, backbone: { ...fx.model.backbone, return_feat_map: true } };
    const source = { param: (_k: string, s: readonly number[]) => new Float32Array(s.reduce((a, b) => a * b, 1)), buffer: () => {}, declared: () => [] };
    expect(() => buildVideoMaeVit(model, source, { viewShape: [3, 16, 224, 224] })).toThrow(/backbone\.return_feat_map = true/);
  });
});
