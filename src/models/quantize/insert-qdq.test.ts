// The whole quantizer on a small residual CNN (2D and 3D), run in onnxruntime-node: calibration
// ranges against a brute-force scan, the int8 graph's constants and names, its accuracy against
// float32, and that ONNX Runtime fuses every planned Conv into an integer QLinearConv.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ortOptimizedGraph } from '../../../tests/helpers/ort-optimized-graph.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fnv1a32, goldenTensor, uniformAt } from '../converters/mmaction2/golden-weights.js';
import { createGraphBuilder, decodeModel, encodeModel, tensors, type OnnxModel } from '../converters/onnx/index.js';
import { activationParams } from './quant-params.js';
import { buildCalibrationModel, createRangeTracker, insertQdq, planQdq, type QdqPlan } from './index.js';

const CLASSES = 10;
const WIDTH = 8;

interface Net {
  model: OnnxModel;
  /** One sample, without the batch axis. */
  sampleDims: number[];
  /** Gemm weight [CLASSES, 2 * WIDTH]. */
  fcWeight: Float32Array;
}

/**
 * A ResNet in miniature, with deterministic weights of unit gain (fan-in uniform, as the golden
 * fixtures use): Conv+Relu stem, MaxPool, a basic block, a strided block with a Clip(0, 6) and a
 * 1x1 downsample Conv without bias on the shortcut, global average pooling and a Gemm head. `rank` picks 2D
 * (frames) or 3D (clips) convolutions. Outputs: logits, and the pooled features the head reads.
 */
function buildNet(rank: 2 | 3): Net {
  const g = createGraphBuilder(`resnet-${rank}d`);
  // 3D: 6 input channels, as a 3-channel stem with a temporal kernel is left in float (see qdq-plan.test.ts).
  const sampleDims = rank === 2 ? [3, 16, 16] : [6, 4, 8, 8];
  g.input('x', 'float32', ['N', ...sampleDims]);
  const nd = (v: number) => new Array<number>(rank).fill(v);
  const conv = (input: string, name: string, inC: number, outC: number, k: number, stride: number, bias = true): string => {
    const wDims = [outC, inC, ...nd(k)];
    const inputs = [input, g.initializer(`${name}.weight`, tensors.float32(goldenTensor(`${name}.weight`, wDims), wDims))];
    if (bias) inputs.push(g.initializer(`${name}.bias`, tensors.float32(goldenTensor(`${name}.bias`, [outC]), [outC])));
    const pad = (k - 1) / 2;
    return g.node('Conv', inputs, { kernel_shape: nd(k), strides: nd(stride), pads: nd(pad).concat(nd(pad)) }, { outputs: [name] })[0]!;
  };
  const relu = (input: string, name: string) => g.node('Relu', [input], {}, { outputs: [name] })[0]!;

  const stem = relu(conv('x', 'stem.conv', sampleDims[0]!, WIDTH, 3, 1), 'stem.relu');
  const [pool] = g.node('MaxPool', [stem], { kernel_shape: nd(2), strides: nd(2) }, { outputs: ['stem.pool'] });

  const a1 = relu(conv(pool!, 'layer1.conv1', WIDTH, WIDTH, 3, 1), 'layer1.relu1');
  const b1 = conv(a1, 'layer1.conv2', WIDTH, WIDTH, 3, 1);
  const [sum1] = g.node('Add', [b1, pool!], {}, { outputs: ['layer1.add'] });
  const out1 = relu(sum1!, 'layer1.out');

  const c2 = conv(out1, 'layer2.conv1', WIDTH, 2 * WIDTH, 3, 2);
  const zero = g.initializer('clip.min', tensors.float32([0], []));
  const six = g.initializer('clip.max', tensors.float32([6], []));
  const [a2] = g.node('Clip', [c2, zero, six], {}, { outputs: ['layer2.relu6'] });
  const b2 = conv(a2!, 'layer2.conv2', 2 * WIDTH, 2 * WIDTH, 3, 1);
  const shortcut = conv(out1, 'layer2.downsample', WIDTH, 2 * WIDTH, 1, 2, false);
  const [sum2] = g.node('Add', [b2, shortcut], {}, { outputs: ['layer2.add'] });
  const out2 = relu(sum2!, 'layer2.out');

  const [gap] = g.node('GlobalAveragePool', [out2], {}, { outputs: ['gap'] });
  const [features] = g.node('Flatten', [gap!], {}, { outputs: ['features'] });
  const fcDims = [CLASSES, 2 * WIDTH];
  const fcWeight = goldenTensor('fc.weight', fcDims);
  g.initializer('fc.weight', tensors.float32(fcWeight, fcDims));
  g.initializer('fc.bias', tensors.float32(goldenTensor('fc.bias', [CLASSES]), [CLASSES]));
  g.node('Gemm', [features!, 'fc.weight', 'fc.bias'], { transB: 1 }, { outputs: ['logits'] });
  g.output('logits', 'float32', ['N', CLASSES]);
  g.output('features', 'float32', ['N', 2 * WIDTH]);
  return { model: decodeModel(g.toModel({ producer: 'test', opset: 17 })), sampleDims, fcWeight };
}

/** Deterministic inputs in [-2, 2), one per seed, like the golden fixtures' recognizer input. */
function sample(dims: readonly number[], seed: number): Float32Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const h = fnv1a32(`calibration input ${seed}`);
  return Float32Array.from({ length: n }, (_, i) => (2 * uniformAt(h, i) - 1) * 2);
}

const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1 } as const;

async function runModel(bytes: Uint8Array, input: Float32Array, sampleDims: readonly number[], options: ort.InferenceSession.SessionOptions = {}) {
  const session = await ort.InferenceSession.create(bytes, { ...SESSION_OPTIONS, ...options });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', input, [1, ...sampleDims]) });
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
  } finally {
    await session.release();
  }
}

const argmax = (v: Float32Array): number => v.indexOf(Math.max(...v));
const maxAbsDiff = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

function producers(model: OnnxModel): Map<string, OnnxModel['graph']['nodes'][number]> {
  return new Map(model.graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
}
function initializers(model: OnnxModel): Map<string, OnnxModel['graph']['initializers'][number]> {
  return new Map(model.graph.initializers.map((t) => [t.name, t]));
}
/** The model with extra graph outputs, so a run returns those intermediate values too. */
function exposing(model: OnnxModel, values: readonly string[]): OnnxModel {
  const extra = values.map((name) => ({ name, dtype: 'float32' as const }));
  return { ...model, graph: { ...model.graph, outputs: [...model.graph.outputs, ...extra] } };
}

for (const rank of [2, 3] as const) {
  describe(`int8 QDQ on a ${rank}D residual CNN`, () => {
    const CALIBRATION_INPUTS = 4;
    const HELD_OUT_INPUTS = 2;
    let net: Net;
    let plan: QdqPlan;
    let inputs: Float32Array[];
    let calibration: ReturnType<typeof buildCalibrationModel>;
    /** What the calibration model returned for each input, by output name. */
    let readings: Map<string, { value: number; dims: readonly number[] }>[];
    let tracker: ReturnType<typeof createRangeTracker>;
    let int8: OnnxModel;
    let dir: string;

    beforeAll(async () => {
      net = buildNet(rank);
      plan = planQdq(net.model.graph);
      inputs = Array.from({ length: CALIBRATION_INPUTS }, (_, i) => sample(net.sampleDims, i));
      calibration = buildCalibrationModel(net.model, plan.calibrated);
      tracker = createRangeTracker(calibration.outputs);
      readings = [];
      const session = await ort.InferenceSession.create(encodeModel(calibration.model), SESSION_OPTIONS);
      try {
        for (const input of inputs) {
          const out = await session.run({ x: new ort.Tensor('float32', input, [1, ...net.sampleDims]) });
          readings.push(new Map(Object.entries(out).map(([k, t]) => [k, { value: (t.data as Float32Array)[0]!, dims: t.dims }])));
          tracker.add((name) => (out[name]!.data as Float32Array)[0]!);
        }
      } finally {
        await session.release();
      }
      int8 = insertQdq(net.model, plan, tracker.ranges());
      dir = mkdtempSync(join(tmpdir(), 'actionlens-qdq-'));
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('plans every Conv of the net, its inputs and its activated outputs', () => {
      expect(plan.convs.length).toBe(6);
      expect(plan.convs.filter((c) => c.bias === undefined).map((c) => c.weight)).toEqual(['layer2.downsample.weight']);
      expect(plan.values).toEqual(['x', 'stem.relu', 'stem.pool', 'layer1.relu1', 'layer1.conv2', 'layer1.out', 'layer2.relu6', 'layer2.conv2', 'layer2.downsample']);
      expect(plan.sharesRangeWith).toEqual(new Map([['stem.pool', 'stem.relu']]));
    });

    it('calibrates with two scalar outputs per value that match a brute-force min/max', async () => {
      expect(calibration.outputs.map((o) => o.value)).toEqual(plan.calibrated);
      const added = calibration.model.graph.outputs.slice(net.model.graph.outputs.length);
      expect(added.map((o) => o.name)).toEqual(calibration.outputs.flatMap((o) => [o.min, o.max]));
      for (const o of added) expect(o).toEqual({ name: o.name, dtype: 'float32', dims: [] });
      expect(net.model.graph.outputs.map((o) => o.name)).toEqual(['logits', 'features']); // the input model is left alone

      // The same values as ordinary outputs of the float model, scanned here.
      const intermediates = plan.calibrated.filter((v) => v !== 'x');
      const session = await ort.InferenceSession.create(encodeModel(exposing(net.model, intermediates)), SESSION_OPTIONS);
      const expected = new Map(plan.calibrated.map((v) => [v, { min: Infinity, max: -Infinity }]));
      try {
        for (const [b, input] of inputs.entries()) {
          const out = await session.run({ x: new ort.Tensor('float32', input, [1, ...net.sampleDims]) });
          for (const o of calibration.outputs) {
            const data = o.value === 'x' ? input : (out[o.value]!.data as Float32Array);
            let min = Infinity;
            let max = -Infinity;
            for (const v of data) {
              min = Math.min(min, v);
              max = Math.max(max, v);
            }
            expect(readings[b]!.get(o.min), `${o.min} of batch ${b}`).toEqual({ value: min, dims: [] });
            expect(readings[b]!.get(o.max), `${o.max} of batch ${b}`).toEqual({ value: max, dims: [] });
            const range = expected.get(o.value)!;
            range.min = Math.min(range.min, min);
            range.max = Math.max(range.max, max);
          }
        }
      } finally {
        await session.release();
      }
      expect(tracker.batches).toBe(CALIBRATION_INPUTS);
      expect(new Map(tracker.ranges())).toEqual(expected);
    });

    it('replaces each planned Conv weight by int8 per channel and its bias by int32, and drops the float copies', () => {
      const originalInit = initializers(net.model);
      const init = initializers(int8);
      const made = producers(int8);
      for (const site of plan.convs) {
        const name = net.model.graph.nodes[site.node]!.name;
        const conv = int8.graph.nodes.find((n) => n.name === name)!;
        expect(conv.opType).toBe('Conv');
        const w = originalInit.get(site.weight)!;
        const outC = w.dims[0]!;
        const perChannel = w.data.length / outC;

        // Weight: DequantizeLinear(int8 [outC, ...], float32 scale [outC], int8 zero point 0, axis 0).
        const wDq = made.get(conv.inputs[1]!)!;
        expect(wDq.opType).toBe('DequantizeLinear');
        expect(wDq.attributes.axis).toEqual({ type: 'int', value: 0 });
        const [qw, sw, zw] = wDq.inputs.map((i) => init.get(i)!);
        expect(qw).toMatchObject({ dtype: 'int8', dims: w.dims });
        expect(sw).toMatchObject({ dtype: 'float32', dims: [outC] });
        expect(zw).toMatchObject({ dtype: 'int8', dims: [outC] });
        expect(Array.from(zw!.data as Int8Array).every((z) => z === 0)).toBe(true);
        for (let i = 0; i < w.data.length; i++) {
          const s = (sw!.data as Float32Array)[Math.floor(i / perChannel)]!;
          expect(Math.abs((qw!.data as Int8Array)[i]! * s - (w.data as Float32Array)[i]!)).toBeLessThanOrEqual((s / 2) * (1 + 1e-6));
        }

        // Bias: int32 in the scale input scale x weight scale, so the integer kernel can add it as is.
        if (site.bias === undefined) {
          expect(conv.inputs.length).toBe(2);
        } else {
          const b = originalInit.get(site.bias)!;
          const bDq = made.get(conv.inputs[2]!)!;
          expect(bDq.opType).toBe('DequantizeLinear');
          expect(bDq.attributes.axis).toEqual({ type: 'int', value: 0 });
          const [qb, sb, zb] = bDq.inputs.map((i) => init.get(i)!);
          expect(qb).toMatchObject({ dtype: 'int32', dims: [outC] });
          expect(zb).toMatchObject({ dtype: 'int32', dims: [outC] });
          expect(Array.from(zb!.data as Int32Array).every((z) => z === 0)).toBe(true);
          const inputRoot = plan.sharesRangeWith.get(site.input) ?? site.input;
          const inputScale = activationParams(tracker.ranges().get(inputRoot)!).scale;
          for (let c = 0; c < outC; c++) {
            const s = (sb!.data as Float32Array)[c]!;
            expect(s).toBe(Math.fround(inputScale * (sw!.data as Float32Array)[c]!));
            expect(Math.abs((qb!.data as Int32Array)[c]! * s - (b.data as Float32Array)[c]!)).toBeLessThanOrEqual((s / 2) * (1 + 1e-6));
          }
          expect(init.has(site.bias)).toBe(false);
        }

        // The float weight is gone; the Conv reads the dequantized copy of its input.
        expect(init.has(site.weight)).toBe(false);
        expect(made.get(conv.inputs[0]!)).toMatchObject({ opType: 'DequantizeLinear' });
      }
      // What stays float, besides the quantization scales: only the Gemm head and the Clip bounds.
      const scales = new Set(int8.graph.nodes.filter((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear').map((n) => n.inputs[1]));
      const floats = int8.graph.initializers.filter((t) => t.dtype === 'float32' && !scales.has(t.name)).map((t) => t.name);
      expect(floats.sort()).toEqual(['clip.max', 'clip.min', 'fc.bias', 'fc.weight']);
      expect(net.model.graph.initializers.every((t) => t.dtype === 'float32')).toBe(true); // the input model is left alone
    });

    it('gives each planned value one QuantizeLinear -> DequantizeLinear pair with its root range, read by all its readers', async () => {
      const init = initializers(int8);
      const readers = (model: OnnxModel, value: string) => model.graph.nodes.filter((n) => n.inputs.includes(value));
      const dequantized: string[] = [];
      for (const value of plan.values) {
        const q = readers(int8, value);
        expect(q.map((n) => n.opType), value).toEqual(['QuantizeLinear']); // nothing else reads the float value
        const dq = readers(int8, q[0]!.outputs[0]!);
        expect(dq.map((n) => n.opType), value).toEqual(['DequantizeLinear']);
        expect(dq[0]!.inputs.slice(1)).toEqual(q[0]!.inputs.slice(1)); // same scale and zero point
        const params = activationParams(tracker.ranges().get(plan.sharesRangeWith.get(value) ?? value)!);
        expect(init.get(q[0]!.inputs[1]!)).toMatchObject({ dtype: 'float32', dims: [], data: Float32Array.of(params.scale) });
        expect(init.get(q[0]!.inputs[2]!)).toMatchObject({ dtype: 'uint8', dims: [], data: Uint8Array.of(params.zeroPoint) });
        // Every node that read the value in the float graph reads the dequantized copy instead.
        const copy = dq[0]!.outputs[0]!;
        for (const reader of readers(net.model, value)) {
          const now = int8.graph.nodes.find((n) => n.name === reader.name)!;
          reader.inputs.forEach((input, at) => {
            if (input === value) expect(now.inputs[at], `${reader.name} reading ${value}`).toBe(copy);
          });
        }
        dequantized.push(copy);
      }
      expect(int8.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').length).toBe(plan.values.length);
      expect(int8.graph.outputs).toEqual(net.model.graph.outputs);

      // Run unfused (optimizations off: ONNX Runtime evaluates QuantizeLinear / DequantizeLinear
      // literally) and check each copy is its value rounded onto the uint8 grid of its parameters.
      const session = await ort.InferenceSession.create(encodeModel(exposing(int8, [...plan.values.filter((v) => v !== 'x'), ...dequantized])), {
        ...SESSION_OPTIONS,
        graphOptimizationLevel: 'disabled',
      });
      try {
        const out = await session.run({ x: new ort.Tensor('float32', inputs[0]!, [1, ...net.sampleDims]) });
        plan.values.forEach((value, k) => {
          const params = activationParams(tracker.ranges().get(plan.sharesRangeWith.get(value) ?? value)!);
          const lowest = -params.zeroPoint * params.scale;
          const highest = (255 - params.zeroPoint) * params.scale;
          const original = value === 'x' ? inputs[0]! : (out[value]!.data as Float32Array);
          const copy = out[dequantized[k]!]!.data as Float32Array;
          for (let i = 0; i < original.length; i++) {
            const v = original[i]!;
            const level = copy[i]! / params.scale + params.zeroPoint;
            expect(Math.abs(level - Math.round(level)), `${value}[${i}] on the grid`).toBeLessThan(1e-3);
            const clamped = Math.min(highest, Math.max(lowest, v));
            expect(Math.abs(copy[i]! - clamped), `${value}[${i}] = ${v}`).toBeLessThanOrEqual(params.scale * (0.5 + 1e-4));
          }
        });
      } finally {
        await session.release();
      }
    });

    it('keeps every node name and value name unique and every input defined', () => {
      const nodeNames = int8.graph.nodes.map((n) => n.name);
      expect(new Set(nodeNames).size).toBe(nodeNames.length);
      const defined = [...int8.graph.inputs.map((i) => i.name), ...int8.graph.initializers.map((t) => t.name), ...int8.graph.nodes.flatMap((n) => n.outputs)];
      expect(new Set(defined).size).toBe(defined.length);
      const known = new Set(['', ...defined]);
      for (const n of int8.graph.nodes) for (const i of n.inputs) expect(known.has(i), `${n.name} reads ${i}`).toBe(true);
    });

    it('runs in onnxruntime-node and stays within the error the quantization steps allow', async () => {
      // Error budget, to first order. Each quantized tensor rounds its elements by at most half a
      // step. The Convs have fan-in scaled weights, which pass an inherited error on at about its
      // size (output RMS = input RMS), and Relu, Clip, MaxPool and averaging never enlarge one. So
      // a pooled feature is off by about E = sum of half steps over the calibrated tensors (a
      // MaxPool output that shares its root's grid re-rounds nothing), and logit k, a dot product
      // with fc row k, by at most E * sum_j |fc[k, j]|. A residual Add carries one upstream error
      // along two paths, which first order ignores: measured here, features stay within E / 3 and
      // logits within a seventh of their bound, so the budget holds with room on other CPUs.
      const halfSteps = plan.calibrated.map((v) => activationParams(tracker.ranges().get(v)!).scale / 2);
      const budget = halfSteps.reduce((a, b) => a + b, 0);
      const rowL1 = Array.from({ length: CLASSES }, (_, k) => net.fcWeight.subarray(k * 2 * WIDTH, (k + 1) * 2 * WIDTH).reduce((a, w) => a + Math.abs(w), 0));

      const fp32 = encodeModel(net.model);
      const quantized = encodeModel(int8);
      const heldOut = Array.from({ length: HELD_OUT_INPUTS }, (_, i) => sample(net.sampleDims, CALIBRATION_INPUTS + i));
      let largest = 0;
      for (const [i, input] of [...inputs, ...heldOut].entries()) {
        const a = await runModel(fp32, input, net.sampleDims, { graphOptimizationLevel: 'all' });
        const b = await runModel(quantized, input, net.sampleDims, { graphOptimizationLevel: 'all' });
        expect(maxAbsDiff(a.features!, b.features!), `features of input ${i}`).toBeLessThanOrEqual(budget);
        for (let k = 0; k < CLASSES; k++) {
          expect(Math.abs(a.logits![k]! - b.logits![k]!), `logit ${k} of input ${i}`).toBeLessThanOrEqual(budget * rowL1[k]!);
        }
        if (i < CALIBRATION_INPUTS) expect(argmax(b.logits!), `top-1 of calibration input ${i}`).toBe(argmax(a.logits!));
        largest = Math.max(largest, maxAbsDiff(a.logits!, b.logits!));
      }
      expect(largest).toBeGreaterThan(0); // the int8 graph really computes something else than the float one
    });

    it('is fused by ONNX Runtime into one QLinearConv per planned Conv', async () => {
      // ONNX Runtime's QDQ Conv selector gates only int8 *activations* on the CPU type; uint8
      // activations with int8 weights (what insertQdq writes) fuse on every CPU, so no skip.
      const optimized = await ortOptimizedGraph(encodeModel(int8), join(dir, 'int8.optimized.onnx'));
      const fused = optimized.graph.nodes.filter((n) => n.opType === 'QLinearConv');
      // QLinearConv(x, x_scale, x_zero_point, w, ...) reads the int8 weight initializer we wrote.
      const made = producers(int8);
      const weights = plan.convs.map((site) => made.get(int8.graph.nodes.find((n) => n.name === net.model.graph.nodes[site.node]!.name)!.inputs[1]!)!.inputs[0]!);
      expect(fused.map((n) => n.inputs[3]).sort()).toEqual(weights.sort());
      expect(optimized.graph.nodes.filter((n) => n.opType === 'Conv')).toEqual([]);
    });
  });
}

describe('insertQdq and buildCalibrationModel on unusual graphs', () => {
  it('refuses a plan whose ranges are missing or were never measured', () => {
    const net = buildNet(2);
    const plan = planQdq(net.model.graph);
    expect(() => insertQdq(net.model, plan, new Map())).toThrow(/no calibrated range for "x"/);
    const unmeasured = createRangeTracker(buildCalibrationModel(net.model, plan.calibrated).outputs);
    expect(() => insertQdq(net.model, plan, unmeasured.ranges())).toThrow(RangeError);
  });

  // ONNX Runtime refuses a model with two nodes of one name, so added nodes avoid existing node names too.
  it('refuses a model older than opset 13 (per-channel DequantizeLinear needs its axis)', () => {
    const g = createGraphBuilder('old');
    g.input('x', 'float32', [1, 2, 4, 4]);
    const w = g.initializer('w', tensors.float32(goldenTensor('old.weight', [2, 2, 1, 1]), [2, 2, 1, 1]));
    const [y] = g.node('Conv', ['x', w], { kernel_shape: [1, 1] }, { outputs: ['y'] });
    g.output(y!, 'float32', [1, 2, 4, 4]);
    const model = decodeModel(g.toModel({ producer: 'test', opset: 11 }));
    const plan = planQdq(model.graph);
    const ranges = new Map(plan.calibrated.map((v) => [v, { min: -1, max: 1 }]));
    expect(() => insertQdq(model, plan, ranges)).toThrow(/opset 13 or later; this one is opset 11/);
  });

  it('gives added nodes names no existing node has', async () => {
    const g = createGraphBuilder('taken-names');
    g.input('x', 'float32', [1, 2, 4, 4]);
    const w = g.initializer('w', tensors.float32(goldenTensor('w.weight', [2, 2, 3, 3]), [2, 2, 3, 3]));
    g.node('Conv', ['x', w], { pads: [1, 1, 1, 1] }, { outputs: ['c'], name: 'x/QuantizeLinear' });
    g.node('Relu', ['c'], {}, { outputs: ['r'], name: 'calibration/min/x/node' });
    g.output('r', 'float32', [1, 2, 4, 4]);
    const model = decodeModel(g.toModel({ producer: 'test' }));
    const plan = planQdq(model.graph);
    const unique = (m: OnnxModel) => new Set(m.graph.nodes.map((n) => n.name)).size === m.graph.nodes.length;
    expect(unique(buildCalibrationModel(model, plan.calibrated).model)).toBe(true);
    const int8 = insertQdq(model, plan, new Map([['x', { min: -1, max: 1 }], ['r', { min: 0, max: 2 }]]));
    expect(unique(int8)).toBe(true);
    await (await ort.InferenceSession.create(encodeModel(int8), SESSION_OPTIONS)).release();
  });
});
