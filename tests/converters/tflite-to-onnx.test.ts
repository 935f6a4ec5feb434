// convertTfliteToOnnx on the real MoViNet file: interface, determinism, and unsupported operators.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { FlatTable } from '../../src/models/converters/tflite/flatbuffer-table.js';
import { decodeQuantizedInputs, QUANTIZED_INPUTS_METADATA_KEY } from '../../src/core/quantized-input.js';
import { convertTfliteToOnnx, readTfliteModel, STATE_NAMES_METADATA_KEY, TFLITE_CONVERTER_VERSION } from '../../src/models/converters/tflite/index.js';
import { readOnnxMetadata } from '../../src/runtime/onnx-metadata.js';

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
    const model = readTfliteModel(bytes);
    const signature = model.signatures[0]!;
    // dropped: exactly the states the TFLite graph returns as they came in and never reads
    const read = new Set(model.operators.flatMap((op) => op.inputs));
    const passThrough = signature.inputs
      .filter((i) => signature.outputs.some((o) => o.name === i.name && o.tensorIndex === i.tensorIndex) && !read.has(i.tensorIndex))
      .map((i) => i.name);
    expect(passThrough).toHaveLength(30); // pool_buffer + pool_frame_count of the 15 blocks
    expect([...result.droppedStates].sort()).toEqual(passThrough.sort());
    expect(result.inputs.map((i) => i.name).sort()).toEqual(Object.keys(published.inputs).filter((n) => !passThrough.includes(n)).sort());
    expect(result.outputs[0]).toEqual({ name: 'logits', dtype: 'float32', shape: [1, 600] });
    expect(result.stateNames).toHaveLength(43 - 30);
    expect(result.stateNames.map((s) => s.input).sort()).toEqual(result.inputs.map((i) => i.name).filter((n) => n !== 'image').sort());
    // every state output has the dtype, shape and quantization of the input it feeds
    const inputByName = new Map(result.inputs.map((i) => [i.name, i]));
    for (const s of result.stateNames) {
      const out = result.outputs.find((o) => o.name === s.output)!;
      const input = inputByName.get(s.input)!;
      expect({ dtype: out.dtype, shape: out.shape, quantization: out.quantization }).toEqual({ dtype: input.dtype, shape: input.shape, quantization: input.quantization });
    }
    // the image and the 12 stream/pool buffers take uint8 codes; MoViNet's image codes are the pixel bytes
    expect(result.inputs.filter((i) => i.quantization).map((i) => i.dtype)).toEqual(Array(13).fill('uint8'));
    expect(inputByName.get('image')!.quantization).toEqual({ scale: Math.fround(1 / 255), zeroPoint: 0 });
    expect(inputByName.get('state_head_pool_frame_count')).toEqual({ name: 'state_head_pool_frame_count', dtype: 'int32', shape: [1] });
    // every TFLite operator was converted or folded into the interface: the QUANTIZE of the image and of the 11
    // stream buffers, the DEQUANTIZE of the 11 stream buffers (the head pool buffer keeps both: its input is
    // requantized with other parameters, and the graph reads its float output)
    expect(result.foldedOperators).toBe(12 + 11);
    expect(Object.values(result.opCounts).reduce((a, b) => a + b, 0) + result.foldedOperators).toBe(model.operators.length);
    expect(result.converterVersion).toBe(TFLITE_CONVERTER_VERSION);

    const session = await ort.InferenceSession.create(result.onnx);
    try {
      expect([...session.inputNames].sort()).toEqual(result.inputs.map((i) => i.name).sort());
      expect([...session.outputNames]).toEqual(result.outputs.map((o) => o.name));
    } finally {
      await session.release();
    }
  });

  it('records the stream interface in the ONNX metadata', () => {
    const result = convertTfliteToOnnx(bytes);
    const metadata = readOnnxMetadata(result.onnx);
    expect(metadata['actionlens.converter']).toBe(TFLITE_CONVERTER_VERSION);
    expect(JSON.parse(metadata[STATE_NAMES_METADATA_KEY]!)).toEqual(result.stateNames);
    const quantized = decodeQuantizedInputs(metadata[QUANTIZED_INPUTS_METADATA_KEY]);
    expect([...quantized.keys()].sort()).toEqual(result.inputs.filter((i) => i.quantization).map((i) => i.name).sort());
    for (const i of result.inputs) if (i.quantization) expect(quantized.get(i.name)).toEqual(i.quantization);
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
