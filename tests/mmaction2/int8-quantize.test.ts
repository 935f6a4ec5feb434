// The int8 quantizer end to end on a real family graph: TSM MobileNetV2 (depthwise convs, ReLU6,
// temporal shift, residual Adds) with the golden fixture's deterministic weights, calibrated on
// inputs other than the one it is judged on, run in onnxruntime-node with full optimisation: it
// must stay integer from the input's QuantizeLinear to the head's DequantizeLinear.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { builderFor } from '../../src/models/converters/mmaction2/convert-checkpoint.js';
import { createGoldenSource, fnv1a32, goldenInput, uniformAt } from '../../src/models/converters/mmaction2/golden-weights.js';
import { decodeModel, encodeModel } from '../../src/models/converters/onnx/index.js';
import { buildCalibrationModel, createRangeTracker, insertQdq, planQdq } from '../../src/models/quantize/index.js';
import { FIXTURES, loadFixture } from './parity-harness.js';

const NAME = 'tsm_mobilenetv2_1x1x8';
const CALIBRATION_INPUTS = 2;
const SESSION_OPTIONS = { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 } as const;

/** Inputs drawn like the golden one ((2u - 1) * 2) but from other seeds. */
function calibrationInput(n: number, seed: number): Float32Array {
  const h = fnv1a32(`int8 calibration ${seed}`);
  return Float32Array.from({ length: n }, (_, i) => (2 * uniformAt(h, i) - 1) * 2);
}

const top5 = (v: Float32Array): number[] => [...v.keys()].sort((a, b) => v[b]! - v[a]!).slice(0, 5);

describe.skipIf(!existsSync(resolve(FIXTURES, `${NAME}.json`)))(`int8 quantization of ${NAME} (needs ../shared)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'actionlens-int8-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the top-5 and the logits of the float32 graph, with every Conv, Add and shift in integer kernels', async () => {
    const fx = loadFixture(NAME);
    const viewShape = fx.input.shape.slice(1); // 2D recognizer: [segments, 3, H, W]
    const built = builderFor(fx.model.backbone.type)(structuredClone(fx.model), createGoldenSource(), { viewShape });
    const model = decodeModel(built.onnx);
    const plan = planQdq(model.graph);
    const countIn = (nodes: readonly { opType: string }[], op: string) => nodes.filter((n) => n.opType === op).length;
    const convs = countIn(model.graph.nodes, 'Conv');
    expect(plan.convs.length).toBe(convs); // every Conv of this family has constant weights
    expect(plan.integerPads.length).toBe(countIn(model.graph.nodes, 'Pad')); // the shifts' zero Pads

    const dims = [1, ...viewShape];
    const size = dims.reduce((a, b) => a * b, 1);
    const calibration = buildCalibrationModel(model, plan.calibrated);
    const tracker = createRangeTracker(calibration.outputs);
    const calibrator = await ort.InferenceSession.create(encodeModel(calibration.model), SESSION_OPTIONS);
    try {
      for (let seed = 0; seed < CALIBRATION_INPUTS; seed++) {
        const out = await calibrator.run({ [built.inputName]: new ort.Tensor('float32', calibrationInput(size, seed), dims) });
        tracker.add((name) => (out[name]!.data as Float32Array)[0]!);
      }
    } finally {
      await calibrator.release();
    }
    const int8 = encodeModel(insertQdq(model, plan, tracker.ranges()));

    const optimizedPath = join(dir, `${NAME}.int8.optimized.onnx`);
    const feeds = { [built.inputName]: new ort.Tensor('float32', goldenInput(dims), dims) };
    const fp32Session = await ort.InferenceSession.create(built.onnx, SESSION_OPTIONS);
    const int8Session = await ort.InferenceSession.create(int8, { ...SESSION_OPTIONS, optimizedModelFilePath: optimizedPath });
    let reference: Float32Array;
    let quantized: Float32Array;
    try {
      reference = (await fp32Session.run(feeds))[built.outputName]!.data as Float32Array;
      quantized = (await int8Session.run(feeds))[built.outputName]!.data as Float32Array;
    } finally {
      await fp32Session.release();
      await int8Session.release();
    }

    let maxAbsDiff = 0;
    let maxAbsRef = 0;
    for (let i = 0; i < reference.length; i++) {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(quantized[i]! - reference[i]!));
      maxAbsRef = Math.max(maxAbsRef, Math.abs(reference[i]!));
    }
    console.log(JSON.stringify({ fixture: NAME, convs, calibrated: plan.calibrated.length, maxAbsDiff, maxAbsRef, relError: maxAbsDiff / maxAbsRef }));
    expect(new Set(top5(quantized))).toEqual(new Set(top5(reference)));
    // Relative to the largest logit (0.26 here), not to max(1, ...) as the float parity does.
    expect(maxAbsDiff / maxAbsRef).toBeLessThan(5e-2);
    expect(maxAbsDiff).toBeGreaterThan(0); // it did run in int8

    // A copy: decodeModel views aligned raw_data in place, and readFileSync's Buffer may be unaligned.
    const optimized = decodeModel(new Uint8Array(readFileSync(optimizedPath)));
    const nodes = optimized.graph.nodes;
    expect(countIn(nodes, 'QLinearConv')).toBe(convs);
    // The residual Adds and the shifts' Concats run on uint8 too: no float island in between.
    expect(countIn(nodes, 'QLinearAdd')).toBe(countIn(model.graph.nodes, 'Add'));
    expect(countIn(nodes, 'QLinearConcat')).toBe(countIn(model.graph.nodes, 'Concat'));
    for (const op of ['Conv', 'Add', 'Concat', 'Clip', 'Relu']) expect(countIn(nodes, op), op).toBe(0);
    expect(nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => n.inputs[0])).toEqual([built.inputName]);
    expect(countIn(nodes, 'DequantizeLinear')).toBe(1); // into the head's pooling
  }, 120_000);
});
