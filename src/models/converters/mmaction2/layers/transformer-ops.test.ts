// The small ops the transformer families are built from, run on onnxruntime.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createGraphBuilder } from '../../onnx/index.js';
import { gelu, linearFromArrays } from './transformer-ops.js';
import { roll } from './transformer-shapes.js';

async function runOne(build: (g: ReturnType<typeof createGraphBuilder>, x: string) => string, input: Float32Array, dims: number[]): Promise<Float32Array> {
  const g = createGraphBuilder('op');
  const x = g.input('x', 'float32', dims);
  const y = build(g, x);
  g.output(y, 'float32');
  const session = await ort.InferenceSession.create(g.toModel({ producer: 'test', opset: 17 }), { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', input, dims) });
    return out[y]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('gelu', () => {
  it('is the exact erf GELU: x * Phi(x)', async () => {
    const out = await runOne((g, x) => gelu(g, x), Float32Array.of(-3, -1, 0, 0.5, 1, 2), [6]);
    // Phi(-3) = 0.0013499, Phi(-1) = 0.1586553, Phi(0.5) = 0.6914625, Phi(1) = 0.8413447, Phi(2) = 0.9772499
    const expected = [-3 * 0.0013499, -0.1586553, 0, 0.5 * 0.6914625, 0.8413447, 2 * 0.9772499];
    Array.from(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });
});

describe('roll', () => {
  it('matches torch.roll on one axis for positive and negative shifts', async () => {
    const x = Float32Array.from({ length: 2 * 5 }, (_, i) => i); // [2, 5]
    const rollRef = (shift: number) => Float32Array.from(x, (_, i) => {
      const r = Math.floor(i / 5);
      const c = i % 5;
      return x[r * 5 + ((c - shift) % 5 + 5) % 5]!;
    });
    for (const shift of [-2, 1, 3, 0]) {
      expect(Array.from(await runOne((g, v) => roll(g, v, 1, shift, 5), x, [2, 5]))).toEqual(Array.from(rollRef(shift)));
    }
  });
});

describe('linearFromArrays', () => {
  it('computes x @ W^T + b for a PyTorch [out, in] weight', async () => {
    const weight = Float32Array.of(1, 2, 3, -1, 0, 1); // [2, 3]
    const out = await runOne((g, v) => linearFromArrays(g, v, { weight, bias: Float32Array.of(0.5, -0.5), inFeatures: 3, outFeatures: 2 }, 'fc'), Float32Array.of(1, 1, 1, 2, 0, -1), [2, 3]);
    expect(Array.from(out)).toEqual([6.5, -0.5, -0.5, -3.5]);
  });
});
