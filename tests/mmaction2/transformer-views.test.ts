// The transformer graphs fold views into their batch axis and reshape it many times ([V*T, P, M],
// [V*P, T, M], [V*heads, ...], [V*windows, ...]). Small configs of each family, built with the golden
// weight generator, must give every view the logits it gets alone, whatever its neighbours are.
// Also exercises paths the zoo fixtures do not reach: Swin window padding and shrinking, MViT
// rel-pos interpolation, VideoMAE layer scale and first-token pooling.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildMvit } from '../../src/models/converters/mmaction2/mvit.js';
import { buildSwin3d } from '../../src/models/converters/mmaction2/swin3d.js';
import { buildTimesformer } from '../../src/models/converters/mmaction2/timesformer.js';
import type { Mmaction2ModelDict, RecognizerBuilder } from '../../src/models/converters/mmaction2/types.js';
import { buildVideoMaeVit } from '../../src/models/converters/mmaction2/videomae-vit.js';
import { createGoldenSource, goldenInput, goldenTensor } from '../../src/models/converters/mmaction2/golden-weights.js';

const NUM_CLASSES = 5;

function recognizer(backbone: Record<string, unknown>, headType: string, inChannels: number): Mmaction2ModelDict {
  return { type: 'Recognizer3D', backbone: backbone as Mmaction2ModelDict['backbone'], cls_head: { type: headType, num_classes: NUM_CLASSES, in_channels: inChannels } };
}

async function checkViews(build: RecognizerBuilder, model: Mmaction2ModelDict, viewShape: number[]): Promise<string[]> {
  const source = createGoldenSource();
  const built = build(model, source, { viewShape });
  const n = viewShape.reduce((a, b) => a * b, 1);
  const a = goldenInput([n]);
  const b = goldenTensor('second_view', [n]).map((v) => v * 20);
  const session = await ort.InferenceSession.create(built.onnx, { intraOpNumThreads: 1 });
  try {
    const run = async (views: Float32Array[]): Promise<Float32Array> => {
      const data = new Float32Array(views.length * n);
      views.forEach((v, i) => data.set(v, i * n));
      const out = await session.run({ input: new ort.Tensor('float32', data, [views.length, ...viewShape]) });
      expect(out.logits!.dims).toEqual([views.length, NUM_CLASSES]);
      return out.logits!.data as Float32Array;
    };
    const [aAlone, bAlone, ab, ba] = [await run([a]), await run([b]), await run([a, b]), await run([b, a])];
    const close = (x: ArrayLike<number>, y: ArrayLike<number>) => Array.from(x).forEach((v, i) => expect(v).toBeCloseTo(y[i]!, 4));
    close(ab.subarray(0, NUM_CLASSES), aAlone);
    close(ab.subarray(NUM_CLASSES), bAlone);
    close(ba.subarray(0, NUM_CLASSES), bAlone);
    close(ba.subarray(NUM_CLASSES), aAlone);
    // Different clips must give different logits, or the checks above prove nothing.
    expect(Math.max(...Array.from(aAlone, (v, i) => Math.abs(v - bAlone[i]!)))).toBeGreaterThan(1e-3);
  } finally {
    await session.release();
  }
  return source.declared().map((d) => d.key);
}

describe('transformer recognizers keep views apart', () => {
  it('TimeSformer (divided space-time)', async () => {
    const model = recognizer({ type: 'TimeSformer', num_frames: 4, img_size: 32, patch_size: 8, embed_dims: 32, num_heads: 4, num_transformer_layers: 2 }, 'TimeSformerHead', 32);
    const keys = await checkViews(buildTimesformer, model, [3, 4, 32, 32]);
    expect(keys.filter((k) => k.endsWith('temporal_fc.weight'))).toHaveLength(2);
  });

  it('VideoMAE ViT with layer scale and first-token pooling', async () => {
    const model = recognizer({ type: 'VisionTransformer', img_size: 32, patch_size: 8, embed_dims: 32, depth: 2, num_heads: 4, num_frames: 4, init_values: 0.1, use_mean_pooling: false }, 'TimeSformerHead', 32);
    const keys = await checkViews(buildVideoMaeVit, model, [3, 4, 32, 32]);
    expect(keys).toContain('backbone.blocks.1.gamma_2');
    expect(keys).toContain('backbone.norm.weight');
    expect(keys).not.toContain('backbone.fc_norm.weight');
  });

  it('MViT at its built size and at a larger crop (rel-pos tables interpolated)', async () => {
    const backbone = { type: 'MViT', arch: { embed_dims: 16, num_layers: 4, num_heads: 1, downscale_indices: [1, 3] }, spatial_size: 64, temporal_size: 4 };
    const model = recognizer(backbone, 'MViTHead', 64);
    const keys = await checkViews(buildMvit, model, [3, 4, 64, 64]);
    expect(keys).toContain('backbone.norm2.weight');
    await checkViews(buildMvit, model, [3, 4, 96, 96]);
  });

  it('Swin3D with padded, shrunken and shifted windows', async () => {
    const backbone = { type: 'SwinTransformer3D', arch: { embed_dims: 16, depths: [2, 2], num_heads: [2, 4] }, window_size: [2, 7, 7], out_indices: [1] };
    const model = recognizer(backbone, 'I3DHead', 32);
    // Patch grid [4, 16, 16]: stage 0 pads 16 -> 21 for 7 x 7 windows; stage 1 [4, 8, 8] pads to 14.
    const keys = await checkViews(buildSwin3d, model, [3, 8, 64, 64]);
    expect(keys.filter((k) => k.endsWith('relative_position_index'))).toHaveLength(4);
  });
});
