// MoViNet stream on ONNX Runtime, two ways, with the TFLite stream's interface so a bench can
// alternate them frame for frame:
//   - in-process: an onnxruntime-node session driven directly (the bare runtime cost);
//   - worker: the engine's own session (dist/runtime/session.js), one postMessage hop per frame.
// Both feed each state output back as the next frame's input, as the engine does, and take frames
// as the model's image input wants them: `encode(rgb24)` (outside the timing, like the engine's
// transform stage) gives float32 in [0, 1] or, for a quantized image input, the uint8 codes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { importDist } from './dist-import.mjs';

const IMAGE_INPUT = 'image';
const LOGITS_OUTPUT = 'logits';

/**
 * Converts the TFLite file with the project's converter and writes the ONNX to a temp folder.
 * @returns {Promise<{ onnxPath: string, onnx: Uint8Array, conversion: object, convertMs: number, dispose(): void }>}
 */
export async function convertMovinetToOnnx(tflitePath) {
  const { convertTfliteToOnnx } = await importDist('models/converters/tflite/index.js');
  const t0 = performance.now();
  const conversion = convertTfliteToOnnx(readFileSync(tflitePath));
  const convertMs = performance.now() - t0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-bench-'));
  const onnxPath = path.join(dir, 'movinet.onnx');
  writeFileSync(onnxPath, conversion.onnx);
  return { onnxPath, onnx: conversion.onnx, conversion, convertMs, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A state tensor at real zero for a graph input (the start of a clip): zeros, or a quantized input's zero point. */
export function zerosFor(signature) {
  const n = signature.shape.reduce((a, b) => a * b, 1);
  switch (signature.dtype) {
    case 'float32': return new ort.Tensor('float32', new Float32Array(n), signature.shape);
    case 'int32': return new ort.Tensor('int32', new Int32Array(n), signature.shape);
    case 'uint8': return new ort.Tensor('uint8', new Uint8Array(n).fill(signature.quantization?.zeroPoint ?? 0), signature.shape);
    case 'int8': return new ort.Tensor('int8', new Int8Array(n), signature.shape);
    default: throw new Error(`State '${signature.name}' has dtype ${signature.dtype}; expected float32, int32, uint8 or int8.`);
  }
}

/** rgb24 frame -> the image input's data, with the engine's own encoder (dist/core/frame-to-tensor.js). */
export async function imageEncoderFor(conversion) {
  const { createStreamFrameEncoder } = await importDist('core/frame-to-tensor.js');
  const signature = conversion.inputs.find((i) => i.name === IMAGE_INPUT);
  const [, , height, width] = signature.shape; // [N, T, H, W, C]
  const encode = createStreamFrameEncoder({ width, height, valueScale: 1 / 255, ...(signature.quantization ? { quantization: signature.quantization } : {}) });
  return (rgb) => encode({ index: 0, ptsSec: 0, width, height, data: rgb }).data;
}

/**
 * A stream on an in-process onnxruntime-node session.
 * @param {{ onnx: Uint8Array, conversion: { inputs: object[], stateNames: {input: string, output: string}[] },
 *   threads: number, sessionOptions?: object }} options
 */
export async function createOrtStream({ onnx, conversion, threads, sessionOptions = {} }) {
  const session = await ort.InferenceSession.create(onnx, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    ...sessionOptions,
  });
  const imageSignature = conversion.inputs.find((i) => i.name === IMAGE_INPUT);
  const stateInputs = conversion.inputs.filter((i) => i.name !== IMAGE_INPUT);
  let states = {};
  const reset = () => {
    states = Object.fromEntries(stateInputs.map((i) => [i.name, zerosFor(i)]));
  };
  reset();
  return {
    kind: 'ort-in-process',
    threads,
    encode: await imageEncoderFor(conversion),
    async step(frame) {
      const out = await session.run({ ...states, [IMAGE_INPUT]: new ort.Tensor(imageSignature.dtype, frame, imageSignature.shape) });
      for (const s of conversion.stateNames) states[s.input] = out[s.output];
      return out[LOGITS_OUTPUT].data;
    },
    reset,
    close: () => session.release(),
  };
}

/**
 * A stream through the engine's worker session (what createRecognizer uses).
 * @param {{ onnxPath: string, conversion: { inputs: object[], stateNames: {input: string, output: string}[] }, threads: number }} options
 */
export async function createWorkerStream({ onnxPath, conversion, threads }) {
  const { createInferenceSession } = await importDist('runtime/session.js');
  const session = await createInferenceSession(onnxPath, { threads });
  const stream = await session.openStream({ imageInput: IMAGE_INPUT, logitsOutput: LOGITS_OUTPUT, states: conversion.stateNames });
  return {
    kind: 'ort-worker',
    threads,
    /** A fresh array per frame: its buffer is transferred to the worker. */
    encode: await imageEncoderFor(conversion),
    async step(frame) {
      const logits = await stream.step({ type: stream.image.type, dims: stream.image.dims, data: frame });
      return logits.data;
    },
    reset: () => stream.reset(),
    close: () => session.close(),
  };
}
