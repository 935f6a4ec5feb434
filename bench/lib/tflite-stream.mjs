// A MoViNet stream on the TFLite WASM runtime: one call per frame, the 43 states kept inside the
// interpreter's own input buffers and fed back by name after every frame.
import { existsSync, readFileSync } from 'node:fs';
import { loadTfliteWasmModule, TFLITE_WASM_BUILDS } from './tflite-wasm-module.mjs';

const IMAGE_INPUT = 'image';
const LOGITS_OUTPUT = 'logits';
const MAX_THREADS = 64;

/** `foo.tflite` -> `foo.signature.json` (the signature name -> tensor name map beside the model). */
export function defaultSignaturePath(modelPath) {
  return modelPath.replace(/\.tflite$/i, '') + '.signature.json';
}

function readRequiredFile(filePath, what, encoding) {
  if (!existsSync(filePath)) {
    throw new Error(`${what} not found: ${filePath}. Pass the right path (--model) or fetch the file first.`);
  }
  return readFileSync(filePath, encoding);
}

function validateThreads(threads) {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new Error(`createTfliteStream: 'threads' is ${threads}; use an integer in [1, ${MAX_THREADS}].`);
  }
}

/** Embind returns a C++ vector; copy it into a JS array of tensor infos. */
function vectorToArray(vector) {
  const items = [];
  for (let i = 0; i < vector.size(); i++) items.push(vector.get(i));
  vector.delete();
  return items;
}

function tensorByName(tensors, name, where) {
  const tensor = tensors.find((t) => t.name === name);
  if (!tensor) {
    const known = tensors.map((t) => t.name).slice(0, 5).join(', ');
    throw new Error(`Model ${where} has no tensor '${name}' (the signature file names it). Known: ${known}, ...`);
  }
  return tensor;
}

/**
 * Pairs every state output with the input it feeds on the next frame, by signature name.
 * @returns {{ image: object, logits: object, states: Array<{ name: string, input: object, output: object }> }}
 */
function bindSignature(signature, inputs, outputs) {
  const image = tensorByName(inputs, signature.inputs[IMAGE_INPUT], 'input');
  const logits = tensorByName(outputs, signature.outputs[LOGITS_OUTPUT], 'output');
  const stateNames = Object.keys(signature.inputs).filter((name) => name !== IMAGE_INPUT);
  const states = stateNames.map((name) => {
    const outputName = signature.outputs[name];
    if (!outputName) throw new Error(`Signature has state input '${name}' but no output with that name to feed it back.`);
    return { name, input: tensorByName(inputs, signature.inputs[name], 'input'), output: tensorByName(outputs, outputName, 'output') };
  });
  return { image, logits, states };
}

/**
 * Creates a MoViNet stream on TFLite WASM (1 thread: the non-threaded SIMD build of the fixtures;
 * more: the SIMD pthread build, its workers on worker_threads).
 * @param {{ modelPath: string, threads?: number, signaturePath?: string }} options
 * @returns {Promise<{ build: string, threads: number, frameLength: number, inputShape: number[],
 *   step(frame: Float32Array): Float32Array, reset(): void, close(): void }>}
 */
export async function createTfliteStream({ modelPath, threads = 1, signaturePath = defaultSignaturePath(modelPath) }) {
  validateThreads(threads);
  const modelBytes = readRequiredFile(modelPath, 'TFLite model');
  const signature = JSON.parse(readRequiredFile(signaturePath, 'Signature map', 'utf8'));
  const build = threads === 1 ? TFLITE_WASM_BUILDS.simd : TFLITE_WASM_BUILDS.simdThreaded;
  const wasm = await loadTfliteWasmModule({ build });

  const modelPtr = wasm._malloc(modelBytes.length);
  wasm.HEAPU8.set(modelBytes, modelPtr);
  const created = wasm.TFLiteWebModelRunner.CreateFromBufferAndOptions(modelPtr, modelBytes.length, {
    numThreads: threads,
    enableProfiling: false,
    maxProfilingBufferEntries: 1024,
  });
  if (!created.ok()) {
    wasm._free(modelPtr);
    throw new Error(`TFLite could not load ${modelPath}: ${created.errorMessage()}`);
  }
  const runner = created.value();
  const inputs = vectorToArray(runner.GetInputs());
  const outputs = vectorToArray(runner.GetOutputs());
  const { image, logits, states } = bindSignature(signature, inputs, outputs);
  const inputShape = image.shape.split(',').map(Number); // [1, 1, H, W, 3]
  const frameLength = inputShape.reduce((a, b) => a * b, 1);
  // Scratch copies: an output buffer may be reused by the next op plan, and some outputs alias inputs.
  const scratch = states.map((s) => s.output.data().slice());

  function reset() {
    for (const state of states) state.input.data().fill(0);
  }

  function step(frame) {
    if (!(frame instanceof Float32Array) || frame.length !== frameLength) {
      const got = frame instanceof Float32Array ? `Float32Array(${frame.length})` : typeof frame;
      throw new Error(`step: 'frame' is ${got}; expected Float32Array(${frameLength}) shaped [${inputShape}] in [0, 1].`);
    }
    image.data().set(frame);
    if (!runner.Infer()) throw new Error('TFLite Infer() failed on this frame.');
    // Read every state before writing any, since an input buffer may back another output.
    states.forEach((state, i) => scratch[i].set(state.output.data()));
    states.forEach((state, i) => state.input.data().set(scratch[i]));
    return logits.data().slice(); // [1, 600] -> copy out of the WASM heap
  }

  function close() {
    for (const info of [...inputs, ...outputs]) info.delete?.();
    runner.delete();
    wasm._free(modelPtr);
    wasm.PThread?.terminateAllThreads();
  }

  reset();
  return { build, threads, frameLength, inputShape, step, reset, close };
}
