// ConvModule with BatchNorm folded into the conv must equal Conv3d followed by an unfused ONNX
// BatchNormalization, and nn.Conv3d must request exactly its PyTorch keys.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createGraphBuilder } from '../../onnx/index.js';
import { createDeclarationLog, type WeightSource } from '../weight-source.js';
import { conv3d, convModule3d } from './conv3d-module.js';

/** Deterministic values in [lo, hi) from a 32-bit LCG. */
function sequence(n: number, seed: number, lo: number, hi: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

/** A WeightSource serving fixed arrays per key (running_var kept positive). */
function testSource(): WeightSource & { served: Map<string, Float32Array> } {
  const log = createDeclarationLog();
  const served = new Map<string, Float32Array>();
  let seed = 1;
  return {
    served,
    param(key, shape) {
      log.record(key, shape, 'float32');
      const n = shape.reduce((a, b) => a * b, 1);
      const data = key.endsWith('running_var') ? sequence(n, seed++, 0.5, 1.5) : sequence(n, seed++, -1, 1);
      served.set(key, data);
      return data;
    },
    buffer(key, shape, dtype) {
      log.record(key, shape, dtype);
    },
    declared: () => log.entries(),
  };
}

async function run(model: Uint8Array, x: Float32Array, dims: number[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', x, dims) });
    return session.outputNames.map((n) => out[n]!.data as Float32Array);
  } finally {
    await session.release();
  }
}

describe('convModule3d', () => {
  it('folded conv + BN + ReLU equals Conv -> BatchNormalization -> Relu (grouped, strided, padded)', async () => {
    const source = testSource();
    const g = createGraphBuilder('t');
    const x = g.input('x', 'float32', [2, 4, 5, 6, 6]);
    const opts = { inChannels: 4, outChannels: 6, kernel: [3, 1, 3] as const, stride: [1, 2, 2] as const, padding: [1, 0, 1] as const, groups: 2 };
    const folded = convModule3d(g, source, 'm', x, { ...opts, norm: true, act: 'relu' });
    g.output(folded, 'float32');
    // The same layer unfolded, from the arrays the source served.
    const p = (k: string) => g.constant(k, { dtype: 'float32', dims: [6], data: source.served.get(`m.bn.${k}`)! });
    const w = g.constant('w', { dtype: 'float32', dims: [6, 2, 3, 1, 3], data: source.served.get('m.conv.weight')! });
    const [conv] = g.node('Conv', [x, w], { kernel_shape: [3, 1, 3], strides: [1, 2, 2], pads: [1, 0, 1, 1, 0, 1], group: 2 });
    const [bn] = g.node('BatchNormalization', [conv!, p('weight'), p('bias'), p('running_mean'), p('running_var')], { epsilon: { type: 'float', value: 1e-5 } });
    const [relu] = g.node('Relu', [bn!], {}, { outputs: ['reference'] });
    g.output(relu!, 'float32');

    expect(source.declared().map((d) => d.key)).toEqual([
      'm.conv.weight', 'm.bn.weight', 'm.bn.bias', 'm.bn.running_mean', 'm.bn.running_var', 'm.bn.num_batches_tracked',
    ]);
    const input = sequence(2 * 4 * 5 * 6 * 6, 99, -2, 2);
    const [ours, reference] = await run(g.toModel({ producer: 'test' }), input, [2, 4, 5, 6, 6]);
    expect(ours!.length).toBe(2 * 6 * 5 * 3 * 3);
    let maxDiff = 0;
    for (let i = 0; i < ours!.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours![i]! - reference![i]!));
    expect(maxDiff).toBeLessThan(1e-5);
    expect(reference!.some((v) => v > 0.5)).toBe(true); // the comparison is not between two zero maps
  });

  it('nn.Conv3d with bias requests <path>.weight and <path>.bias only', () => {
    const source = testSource();
    const g = createGraphBuilder('t');
    const x = g.input('x', 'float32', [1, 8, 1, 1, 1]);
    conv3d(g, source, 'se.fc1', x, { inChannels: 8, outChannels: 2, kernel: [1, 1, 1], bias: true });
    expect(source.declared()).toEqual([
      { key: 'se.fc1.weight', shape: [2, 8, 1, 1, 1], dtype: 'float32' },
      { key: 'se.fc1.bias', shape: [2], dtype: 'float32' },
    ]);
  });
});
