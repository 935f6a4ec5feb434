// C2D's temporal pool after layer1: pairs of frames within a clip, an odd last frame dropped,
// as MaxPool3d((2, 1, 1), stride (2, 1, 1)) does.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createGraphBuilder } from '../onnx/index.js';
import { pairwiseTemporalMaxPool } from './c2d.js';

describe('pairwiseTemporalMaxPool', () => {
  it('takes the max of frames (0, 1), (2, 3) of each clip and drops an odd fifth frame', async () => {
    const [clips, frames, c, h, w] = [2, 5, 3, 2, 2];
    const g = createGraphBuilder('tpool');
    const x = g.input('x', 'float32', ['n', c, h, w]);
    const { pooled, frames: outFrames } = pairwiseTemporalMaxPool(g, { name: x, dims: [c, h, w] }, frames, 'tpool');
    g.output(pooled.name, 'float32', ['n', c, h, w]);
    expect(outFrames).toBe(2);

    const per = c * h * w;
    // a pseudo-random but fixed pattern, so that either frame of a pair can hold the max
    const input = Float32Array.from({ length: clips * frames * per }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const session = await ort.InferenceSession.create(g.toModel({ producer: 'test' }));
    try {
      const out = (await session.run({ x: new ort.Tensor('float32', input, [clips * frames, c, h, w]) }))[pooled.name]!;
      expect(out.dims).toEqual([clips * 2, c, h, w]);
      const got = out.data as Float32Array;
      for (let b = 0; b < clips; b++) for (let t = 0; t < 2; t++) for (let i = 0; i < per; i++) {
        const a = input[(b * frames + 2 * t) * per + i]!;
        const bb = input[(b * frames + 2 * t + 1) * per + i]!;
        expect(got[(b * 2 + t) * per + i]).toBe(Math.max(a, bb));
      }
    } finally {
      await session.release();
    }
  });
});
