// convertTfliteToOnnx on the real MoViNet file: interface, determinism, and unsupported operators.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { FlatTable } from '../../src/models/converters/tflite/flatbuffer-table.js';
import { convertTfliteToOnnx, readTfliteModel, TFLITE_CONVERTER_VERSION } from '../../src/models/converters/tflite/index.js';

const SHARED = path.resolve(process.cwd(), '../shared');
const MODEL = path.join(SHARED, 'models/movinet_a0_stream_int8_kinetics600.tflite');
const SIGNATURE = path.join(SHARED, 'models/movinet_a0_stream_int8_kinetics600.signature.json');

/** A copy of the model where every operator code `from` is rewritten to builtin `to`. */
function withOpcodeReplaced(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  const root = FlatTable.root(copy);
  let replaced = 0;
  for (const code of root.tables(1 /* operator_codes */)) {
    const deprecated = code.bb.__offset(code.pos, 4); // field 0: int8 deprecated_builtin_code
    const builtin = code.bb.__offset(code.pos, 10); // field 3: int32 builtin_code
    if (code.int32(3) === from || code.int8(0) === from) {
      if (deprecated) code.bb.writeInt8(code.pos + deprecated, to);
      if (builtin) code.bb.writeInt32(code.pos + builtin, to);
      replaced++;
    }
  }
  if (replaced === 0) throw new Error(`opcode ${from} not found`);
  return copy;
}

describe.skipIf(!existsSync(MODEL))('convertTfliteToOnnx (MoViNet-A0 stream int8)', () => {
  const bytes = existsSync(MODEL) ? readFileSync(MODEL) : new Uint8Array();

  it('exposes the signature names, pairs each state output with its input, and loads in ONNX Runtime', async () => {
    const result = convertTfliteToOnnx(bytes);
    const published = JSON.parse(readFileSync(SIGNATURE, 'utf8')) as { inputs: Record<string, string>; outputs: Record<string, string> };
    expect(result.inputs.map((i) => i.name).sort()).toEqual(Object.keys(published.inputs).sort());
    expect(result.outputs[0]).toEqual({ name: 'logits', dtype: 'float32', shape: [1, 600] });
    expect(result.stateNames).toHaveLength(43);
    expect(result.stateNames.map((s) => s.input).sort()).toEqual(Object.keys(published.inputs).filter((n) => n !== 'image').sort());
    // every state output has the dtype and shape of the input it feeds
    const inputByName = new Map(result.inputs.map((i) => [i.name, i]));
    for (const s of result.stateNames) {
      const out = result.outputs.find((o) => o.name === s.output)!;
      expect({ dtype: out.dtype, shape: out.shape }).toEqual({ dtype: inputByName.get(s.input)!.dtype, shape: inputByName.get(s.input)!.shape });
    }
    // every TFLite operator was converted
    const model = readTfliteModel(bytes);
    expect(Object.values(result.opCounts).reduce((a, b) => a + b, 0)).toBe(model.operators.length);
    expect(result.converterVersion).toBe(TFLITE_CONVERTER_VERSION);

    const session = await ort.InferenceSession.create(result.onnx);
    try {
      expect([...session.inputNames].sort()).toEqual(result.inputs.map((i) => i.name).sort());
      expect([...session.outputNames]).toEqual(result.outputs.map((o) => o.name));
    } finally {
      await session.release();
    }
  });

  it('is deterministic (the output can be cached by sha256 + converter version)', () => {
    const a = convertTfliteToOnnx(bytes).onnx;
    const b = convertTfliteToOnnx(bytes).onnx;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('names an operator it does not support with AL_ERR_UNSUPPORTED_TFLITE_OP', () => {
    const DIV = 42;
    const TANH = 28;
    const patched = withOpcodeReplaced(bytes, DIV, TANH);
    let error: unknown;
    try {
      convertTfliteToOnnx(patched);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ActionLensError);
    expect((error as ActionLensError).code).toBe('AL_ERR_UNSUPPORTED_TFLITE_OP');
    expect((error as ActionLensError).message).toMatch(/TANH/);
    expect((error as ActionLensError).message).toMatch(/supported: .*CONV_2D/);
  });

  it('rejects an unknown signature key, naming the ones available', () => {
    expect(() => convertTfliteToOnnx(bytes, { signatureKey: 'nope' })).toThrow(/"nope".*serving_default/);
  });
});
