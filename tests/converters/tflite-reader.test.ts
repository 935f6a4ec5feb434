// The TFLite reader on the real MoViNet file, plus malformed inputs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { readTfliteModel } from '../../src/models/converters/tflite/index.js';

const SHARED = path.resolve(process.cwd(), '../shared');
const MODEL = path.join(SHARED, 'models/movinet_a0_stream_int8_kinetics600.tflite');
const SIGNATURE = path.join(SHARED, 'models/movinet_a0_stream_int8_kinetics600.signature.json');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ActionLensError ? e.code : `not an ActionLensError: ${String(e)}`;
  }
  return undefined;
}

describe('readTfliteModel', () => {
  it('rejects files that are not TFLite flatbuffers with AL_ERR_TFLITE_INVALID', () => {
    expect(codeOf(() => readTfliteModel(new Uint8Array(0)))).toBe('AL_ERR_TFLITE_INVALID');
    expect(codeOf(() => readTfliteModel(new TextEncoder().encode('{"inputs": {"image": "x"}, "padding": 1234567}')))).toBe('AL_ERR_TFLITE_INVALID');
    // right identifier, root offset far outside the file
    const bogus = new Uint8Array(64);
    new DataView(bogus.buffer).setUint32(0, 1_000_000, true);
    bogus.set(new TextEncoder().encode('TFL3'), 4);
    expect(codeOf(() => readTfliteModel(bogus))).toBe('AL_ERR_TFLITE_INVALID');
    expect(() => readTfliteModel(bogus)).toThrow(/outside the file/);
  });

  it.skipIf(!existsSync(MODEL))('reads the MoViNet-A0 stream int8 model', () => {
    const bytes = readFileSync(MODEL);
    const model = readTfliteModel(bytes);
    expect(model.version).toBe(3);
    const ops = new Set(model.operators.map((o) => o.opName));
    expect([...ops].sort()).toEqual(
      ['ADD', 'AVERAGE_POOL_2D', 'CAST', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE', 'DIV', 'MUL', 'QUANTIZE', 'RESHAPE', 'STRIDED_SLICE', 'SUM'],
    );
    // the signature matches the published signature.json, name for name and tensor for tensor
    const published = JSON.parse(readFileSync(SIGNATURE, 'utf8')) as { inputs: Record<string, string>; outputs: Record<string, string> };
    const [sig] = model.signatures;
    expect(sig.key).toBe('serving_default');
    expect(Object.fromEntries(sig.inputs.map((i) => [i.name, model.tensors[i.tensorIndex].name]))).toEqual(published.inputs);
    expect(Object.fromEntries(sig.outputs.map((o) => [o.name, model.tensors[o.tensorIndex].name]))).toEqual(published.outputs);

    const image = model.tensors[sig.inputs.find((i) => i.name === 'image')!.tensorIndex];
    expect(image).toMatchObject({ shape: [1, 1, 172, 172, 3], type: 'float32' });
    // first CONV_2D: int8 kernel [O, KH, KW, I] with one scale per output channel on dimension 0
    const conv = model.operators.find((o) => o.opName === 'CONV_2D')!;
    const kernel = model.tensors[conv.inputs[1]];
    expect(kernel.type).toBe('int8');
    expect(kernel.quantization!.scale.length).toBe(kernel.shape[0]);
    expect(kernel.quantization!.quantizedDimension).toBe(0);
    expect(kernel.data!.byteLength).toBe(kernel.shape.reduce((a, b) => a * b, 1));
    // depthwise kernels [1, KH, KW, C] are quantised along dimension 3
    const dw = model.operators.find((o) => o.opName === 'DEPTHWISE_CONV_2D')!;
    expect(model.tensors[dw.inputs[1]].quantization!.quantizedDimension).toBe(3);
    expect(conv.options).toBeDefined();
  });

  it.skipIf(!existsSync(MODEL))('rejects a truncated copy of the model', () => {
    const bytes = readFileSync(MODEL).subarray(0, 200_000);
    expect(codeOf(() => readTfliteModel(bytes))).toBe('AL_ERR_TFLITE_INVALID');
  });
});
