// The temporal shift graph against a direct index computation, run in onnxruntime-node.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createGraphBuilder } from '../../onnx/index.js';
import { temporalShift } from './temporal-shift.js';

/** out[b, t, c] = x[b, t+1, c] (first fold), x[b, t-1, c] (second fold), x[b, t, c] (rest); 0 past the ends. */
function referenceShift(x: Float32Array, clips: number, segments: number, channels: number, plane: number, shiftDiv: number): Float32Array {
  const fold = Math.floor(channels / shiftDiv);
  const out = new Float32Array(x.length);
  for (let b = 0; b < clips; b++) for (let t = 0; t < segments; t++) for (let c = 0; c < channels; c++) {
    const source = c < fold ? t + 1 : c < 2 * fold ? t - 1 : t;
    for (let p = 0; p < plane; p++) {
      const dst = (((b * segments + t) * channels + c) * plane) + p;
      out[dst] = source < 0 || source >= segments ? 0 : x[(((b * segments + source) * channels + c) * plane) + p]!;
    }
  }
  return out;
}

describe('temporalShift', () => {
  it.each([
    { clips: 2, segments: 4, channels: 8, shiftDiv: 4 }, // fold 2, two clips: nothing may cross the clip boundary
    { clips: 1, segments: 3, channels: 9, shiftDiv: 8 }, // fold 1 with a remainder of unshifted channels
  ])('moves channels between neighbouring frames of a clip: %o', async ({ clips, segments, channels, shiftDiv }) => {
    const [h, w] = [2, 3];
    const g = createGraphBuilder('shift');
    const x = g.input('x', 'float32', ['n', channels, h, w]);
    const y = temporalShift(g, { name: x, dims: [channels, h, w] }, segments, shiftDiv, 'shift');
    g.output(y.name, 'float32', ['n', channels, h, w]);
    const input = Float32Array.from({ length: clips * segments * channels * h * w }, (_, i) => i + 1); // distinct, non-zero
    const session = await ort.InferenceSession.create(g.toModel({ producer: 'test' }));
    try {
      const out = await session.run({ x: new ort.Tensor('float32', input, [clips * segments, channels, h, w]) });
      expect(Array.from(out[y.name]!.data as Float32Array)).toEqual(Array.from(referenceShift(input, clips, segments, channels, h * w, shiftDiv)));
    } finally {
      await session.release();
    }
  });
});
