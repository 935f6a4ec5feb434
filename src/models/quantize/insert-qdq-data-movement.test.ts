// The quantizer on the data movement of TSM and C2D, run in onnxruntime-node: a small frame CNN
// with TSM's temporal shift (Reshape, Slice, zero Pad, Concat) between Convs, residual Adds, and
// C2D's temporal max pool (Reshape, ReduceMax). After ONNX Runtime's optimisation every op between
// the input's QuantizeLinear and the head's DequantizeLinear must be an integer kernel or move
// uint8 data; the shift must be exact on the quantized grid; the logits must stay close to fp32.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ortOptimizedGraph } from '../../../tests/helpers/ort-optimized-graph.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairwiseTemporalMaxPool } from '../converters/mmaction2/c2d.js';
import { fnv1a32, goldenTensor, uniformAt } from '../converters/mmaction2/golden-weights.js';
import { temporalShift } from '../converters/mmaction2/layers/temporal-shift.js';
import { createGraphBuilder, decodeModel, encodeModel, tensors, type OnnxModel } from '../converters/onnx/index.js';
import { activationParams } from './quant-params.js';
import { buildCalibrationModel, createRangeTracker, insertQdq, planQdq, type QdqPlan } from './index.js';

const SEGMENTS = 4;
const CLIPS = 2;
const WIDTH = 8;
const SIDE = 8;
const SHIFT_DIV = 4; // fold = WIDTH / 4 = 2 channels shifted each way
const CLASSES = 10;
const INPUT_DIMS = [CLIPS * SEGMENTS, 3, SIDE, SIDE];
const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1 } as const;

interface Net {
  model: OnnxModel;
  /** The stem's activated output: the feature map the first shift moves. */
  stem: string;
  /** Output of the first temporal shift. */
  shifted: string;
  fcWeight: Float32Array;
}

/**
 * stem Conv+Relu -> [shift -> Conv+Relu -> Conv, + stem] -> Relu -> temporal max pool (frames
 * halve) -> [shift -> 1x1 Conv, + pooled] -> Relu -> 1x1 Conv+Relu -> GlobalAveragePool -> Flatten -> Gemm, with
 * the converters' own temporalShift and pairwiseTemporalMaxPool and deterministic unit-gain weights.
 */
function buildNet(): Net {
  const g = createGraphBuilder('tsm-c2d-mini');
  g.input('x', 'float32', INPUT_DIMS);
  const conv = (input: string, name: string, inC: number, k: number): string => {
    const dims = [WIDTH, inC, k, k];
    const w = g.initializer(`${name}.weight`, tensors.float32(goldenTensor(`${name}.weight`, dims), dims));
    const b = g.initializer(`${name}.bias`, tensors.float32(goldenTensor(`${name}.bias`, [WIDTH]), [WIDTH]));
    const p = (k - 1) / 2;
    return g.node('Conv', [input, w, b], { kernel_shape: [k, k], pads: [p, p, p, p] }, { outputs: [name] })[0]!;
  };
  const relu = (input: string, name: string) => g.node('Relu', [input], {}, { outputs: [name] })[0]!;
  const map = (name: string) => ({ name, dims: [WIDTH, SIDE, SIDE] });

  const stem = relu(conv('x', 'stem.conv', 3, 3), 'stem.relu');
  const shifted = temporalShift(g, map(stem), SEGMENTS, SHIFT_DIV, 'block1.shift').name;
  const a = relu(conv(shifted, 'block1.conv1', WIDTH, 3), 'block1.relu1');
  const [sum1] = g.node('Add', [conv(a, 'block1.conv2', WIDTH, 3), stem], {}, { outputs: ['block1.add'] });
  const out1 = relu(sum1!, 'block1.out');

  const { pooled, frames } = pairwiseTemporalMaxPool(g, map(out1), SEGMENTS, 'temporal_pool');
  const shifted2 = temporalShift(g, pooled, frames, SHIFT_DIV, 'block2.shift').name;
  const [sum2] = g.node('Add', [conv(shifted2, 'block2.conv', WIDTH, 1), pooled.name], {}, { outputs: ['block2.add'] });
  const out2 = relu(sum2!, 'block2.out');
  const last = relu(conv(out2, 'last.conv', WIDTH, 1), 'last.relu'); // so the second Add feeds a Conv too

  const [gap] = g.node('GlobalAveragePool', [last], {}, { outputs: ['gap'] });
  const [features] = g.node('Flatten', [gap!], {}, { outputs: ['features'] });
  const fcDims = [CLASSES, WIDTH];
  const fcWeight = goldenTensor('fc.weight', fcDims);
  g.initializer('fc.weight', tensors.float32(fcWeight, fcDims));
  g.initializer('fc.bias', tensors.float32(goldenTensor('fc.bias', [CLASSES]), [CLASSES]));
  g.node('Gemm', [features!, 'fc.weight', 'fc.bias'], { transB: 1 }, { outputs: ['logits'] });
  g.output('logits', 'float32', [CLIPS * SEGMENTS / 2, CLASSES]);
  g.output('features', 'float32', [CLIPS * SEGMENTS / 2, WIDTH]);
  return { model: decodeModel(g.toModel({ producer: 'test', opset: 17 })), stem, shifted, fcWeight };
}

function sample(seed: number): Float32Array {
  const n = INPUT_DIMS.reduce((a, b) => a * b, 1);
  const h = fnv1a32(`data movement input ${seed}`);
  return Float32Array.from({ length: n }, (_, i) => (2 * uniformAt(h, i) - 1) * 2);
}

async function run(bytes: Uint8Array, input: Float32Array, options: ort.InferenceSession.SessionOptions) {
  const session = await ort.InferenceSession.create(bytes, { ...SESSION_OPTIONS, ...options });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', input, INPUT_DIMS) });
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
  } finally {
    await session.release();
  }
}

/** TSM's shift of [N, C, H, W] frames in JavaScript: the first fold of channels from the next frame, the second from the previous. */
function shiftFrames(x: Float32Array, segments: number, channels: number, plane: number): Float32Array {
  const fold = Math.floor(channels / SHIFT_DIV);
  const frames = x.length / (channels * plane);
  const out = new Float32Array(x.length);
  for (let n = 0; n < frames; n++) {
    const t = n % segments;
    for (let c = 0; c < channels; c++) {
      const from = c < fold ? (t + 1 < segments ? n + 1 : -1) : c < 2 * fold ? (t > 0 ? n - 1 : -1) : n;
      if (from < 0) continue; // zeros past either end of the clip
      out.set(x.subarray((from * channels + c) * plane, (from * channels + c + 1) * plane), (n * channels + c) * plane);
    }
  }
  return out;
}

describe('int8 QDQ through TSM\'s temporal shift and C2D\'s temporal max pool', () => {
  const CALIBRATION_INPUTS = 4;
  let net: Net;
  let plan: QdqPlan;
  let ranges: ReadonlyMap<string, { min: number; max: number }>;
  let int8: OnnxModel;
  let dir: string;

  beforeAll(async () => {
    net = buildNet();
    plan = planQdq(net.model.graph);
    const calibration = buildCalibrationModel(net.model, plan.calibrated);
    const tracker = createRangeTracker(calibration.outputs);
    const session = await ort.InferenceSession.create(encodeModel(calibration.model), SESSION_OPTIONS);
    try {
      for (let seed = 0; seed < CALIBRATION_INPUTS; seed++) {
        const out = await session.run({ x: new ort.Tensor('float32', sample(seed), INPUT_DIMS) });
        tracker.add((name) => (out[name]!.data as Float32Array)[0]!);
      }
    } finally {
      await session.release();
    }
    ranges = tracker.ranges();
    int8 = insertQdq(net.model, plan, ranges);
    dir = mkdtempSync(join(tmpdir(), 'actionlens-qdq-move-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes each zero Pad of the shifts as a uint8 Pad whose pad value is the zero point, with no float Pad left', () => {
    const pads = int8.graph.nodes.filter((n) => n.opType === 'Pad');
    expect(pads.length).toBe(4);
    expect(plan.integerPads.length).toBe(4);
    const made = new Map(int8.graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
    const init = new Map(int8.graph.initializers.map((t) => [t.name, t]));
    for (const pad of pads) {
      const source = made.get(pad.inputs[0]!)!;
      expect(source.opType, pad.name).toBe('QuantizeLinear'); // reads the uint8 copy of the slice
      const zero = init.get(pad.inputs[2]!)!;
      expect(zero).toMatchObject({ dtype: 'uint8', dims: [] });
      expect(zero.data[0]).toBe(init.get(source.inputs[2]!)!.data[0]); // the slice's zero point
      const readers = int8.graph.nodes.filter((n) => n.inputs.includes(pad.outputs[0]!));
      expect(readers.map((n) => n.opType)).toEqual(['DequantizeLinear']);
    }
    // The slices the Pads read have no other reader: their DequantizeLinear is left out.
    const sliceCopies = pads.map((p) => p.inputs[0]!);
    for (const copy of sliceCopies) expect(int8.graph.nodes.filter((n) => n.inputs.includes(copy)).map((n) => n.opType)).toEqual(['Pad']);
  });

  it('shifts exactly on the quantized grid: the shifted copy is the shift of the block input\'s copy, zeros included', async () => {
    // ONNX Runtime with optimisations off evaluates every QuantizeLinear / DequantizeLinear as written.
    const copyOf = (value: string): string => {
      const q = int8.graph.nodes.find((n) => n.opType === 'QuantizeLinear' && n.inputs[0] === value)!;
      return int8.graph.nodes.find((n) => n.opType === 'DequantizeLinear' && n.inputs[0] === q.outputs[0])!.outputs[0]!;
    };
    const [stemCopy, shiftedCopy] = [copyOf(net.stem), copyOf(net.shifted)];
    const exposed = { ...int8, graph: { ...int8.graph, outputs: [...int8.graph.outputs, { name: stemCopy, dtype: 'float32' as const }, { name: shiftedCopy, dtype: 'float32' as const }] } };
    const out = await run(encodeModel(exposed), sample(CALIBRATION_INPUTS), { graphOptimizationLevel: 'disabled' });
    const expected = shiftFrames(out[stemCopy]!, SEGMENTS, WIDTH, SIDE * SIDE);
    expect(Array.from(out[shiftedCopy]!)).toEqual(Array.from(expected));
    expect(expected.some((v) => v === 0) && expected.some((v) => v !== 0)).toBe(true);
  });

  it('is optimised by ONNX Runtime into integer kernels and uint8 data movement, with no float island', async () => {
    const optimized = await ortOptimizedGraph(encodeModel(int8), join(dir, 'int8.optimized.onnx'));
    const count = (op: string) => optimized.graph.nodes.filter((n) => n.opType === op).length;
    expect(count('QLinearConv')).toBe(plan.convs.length);
    expect(count('QLinearAdd')).toBe(2);
    expect(count('QLinearConcat')).toBe(2);
    for (const op of ['Conv', 'Add', 'Concat', 'Relu', 'Mul']) expect(count(op), op).toBe(0);
    // Float only at the edges: the input's QuantizeLinear and the head's DequantizeLinear.
    expect(optimized.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => n.inputs[0])).toEqual(['x']);
    const dq = optimized.graph.nodes.filter((n) => n.opType === 'DequantizeLinear');
    expect(dq.length).toBe(1);
    expect(optimized.graph.nodes.filter((n) => n.inputs.includes(dq[0]!.outputs[0]!)).map((n) => n.opType)).toEqual(['GlobalAveragePool']);

    // Every data-movement op reads uint8: a value made by a quantizing op, or moved from one.
    const made = new Map(optimized.graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
    const moving = new Set(['Reshape', 'Slice', 'Pad', 'Transpose', 'ReduceMax', 'MaxPool']);
    const isUint8 = (value: string): boolean => {
      const p = made.get(value);
      if (!p) return false;
      if (p.opType === 'QuantizeLinear' || p.opType.startsWith('QLinear')) return true;
      return moving.has(p.opType) && isUint8(p.inputs[0]!);
    };
    const movers = optimized.graph.nodes.filter((n) => moving.has(n.opType));
    expect(movers.filter((n) => n.opType === 'Pad').length).toBe(4);
    expect(movers.filter((n) => n.opType === 'ReduceMax').length).toBe(1);
    for (const n of movers) expect(isUint8(n.inputs[0]!), `${n.opType} ${n.name}`).toBe(true);
  });

  it('stays within the error the quantization steps allow, against float32', async () => {
    // As in insert-qdq.test.ts: a pooled feature is off by about the sum of half steps over the
    // calibrated tensors; values that share a root's grid (the whole shift and the pool) re-round nothing.
    const budget = plan.calibrated.reduce((sum, v) => sum + activationParams(ranges.get(v)!).scale / 2, 0);
    const rowL1 = Array.from({ length: CLASSES }, (_, k) => net.fcWeight.subarray(k * WIDTH, (k + 1) * WIDTH).reduce((a, w) => a + Math.abs(w), 0));
    const fp32 = encodeModel(net.model);
    const quantized = encodeModel(int8);
    let largest = 0;
    for (let seed = 0; seed < CALIBRATION_INPUTS + 2; seed++) {
      const a = await run(fp32, sample(seed), { graphOptimizationLevel: 'all' });
      const b = await run(quantized, sample(seed), { graphOptimizationLevel: 'all' });
      for (let i = 0; i < a.features!.length; i++) expect(Math.abs(a.features![i]! - b.features![i]!), `feature ${i} of input ${seed}`).toBeLessThanOrEqual(budget);
      for (let i = 0; i < a.logits!.length; i++) {
        expect(Math.abs(a.logits![i]! - b.logits![i]!), `logit ${i} of input ${seed}`).toBeLessThanOrEqual(budget * rowL1[i % CLASSES]!);
        largest = Math.max(largest, Math.abs(a.logits![i]! - b.logits![i]!));
      }
    }
    expect(largest).toBeGreaterThan(0); // it did run in int8
  });
});
