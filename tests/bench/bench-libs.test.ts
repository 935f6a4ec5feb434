// The helpers the benches rely on, on real data: the ONNX op lister on the converted MoViNet, and
// the leading-ones Reshape elision of the converter (tflite2onnx-1.1.0) that it makes visible.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnxOpTypes } from '../../bench/lib/onnx-op-types.mjs';
import { convertTfliteToOnnx, readTfliteModel } from '../../src/models/converters/tflite/index.js';

const SHARED = path.resolve(process.cwd(), '../shared');
const MODEL = path.join(SHARED, 'models/movinet_a0_stream_int8_kinetics600.tflite');

describe.skipIf(!existsSync(MODEL))('bench helpers on the converted MoViNet-A0', () => {
  const bytes = existsSync(MODEL) ? readFileSync(MODEL) : new Uint8Array();
  const conversion = existsSync(MODEL) ? convertTfliteToOnnx(bytes) : undefined;

  it('lists every node of the converted graph, in order', () => {
    const ops = readOnnxOpTypes(conversion!.onnx);
    expect(ops).toHaveLength(conversion!.nodeCount);
    const count = (op: string) => ops.filter((o) => o === op).length;
    expect(count('Conv')).toBe(conversion!.opCounts.CONV_2D + conversion!.opCounts.DEPTHWISE_CONV_2D);
    expect(ops.at(-1)).toBeTypeOf('string');
  });

  it('emits no Reshape for TFLite reshapes that only add or drop leading 1s', () => {
    const model = readTfliteModel(bytes);
    const strip = (dims: number[]) => dims.slice(dims.findIndex((d, i) => d !== 1 || i === dims.length - 1));
    const reshapes = model.operators.filter((op) => op.opName === 'RESHAPE');
    const realReshapes = reshapes.filter((op) => {
      const a = strip(model.tensors[op.inputs[0]].shape);
      const b = strip(model.tensors[op.outputs[0]].shape);
      return a.length !== b.length || a.some((d, i) => d !== b[i]);
    });
    const onnxReshapes = readOnnxOpTypes(conversion!.onnx).filter((o) => o === 'Reshape').length;
    // rank-only reshapes cost at most one shared Reshape per tensor an exact-shape op (Concat, logits) reads
    expect(realReshapes.length).toBeLessThan(reshapes.length / 2);
    expect(onnxReshapes).toBeLessThan(reshapes.length * 0.6);
    expect(onnxReshapes).toBeGreaterThanOrEqual(realReshapes.length);
  });
});
