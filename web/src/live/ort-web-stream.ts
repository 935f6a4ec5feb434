// A stream model (MoViNet) run in the page with onnxruntime-web's WASM backend, one frame a step:
// the same contract as the Node worker (src/runtime/session-worker.ts): states start at real zero
// (a quantized state's zero point) and each state output is fed back as the next step's input. For a
// camera that never stops, two sets of states run in staggered windows (see src/core/stream-window.ts).
// Browser-safe (no node:*), and it also runs in Node, so a test can hold it against onnxruntime-node.
//
// 'onnxruntime-web/wasm' is the WASM-only build: it needs ort-wasm-simd-threaded.{mjs,wasm}
// (14 MB) where the default entry would fetch the WebGPU-capable .jsep files (28 MB).
import * as ort from 'onnxruntime-web/wasm';
import type { LiveModelInfo } from '../../../src/core/api/index.js';
import { ActionLensError } from '../../../src/core/errors.js';
import { createStreamFrameEncoder } from '../../../src/core/frame-to-tensor.js';
import { softmax, topK } from '../../../src/core/postprocess/index.js';
import { decodeQuantizedInputs, type InputQuantization } from '../../../src/core/quantized-input.js';
import { zerosTensor, numel, type TensorType } from '../../../src/core/tensor.js';
import type { LiveEngine } from './live-loop.js';
import { LIVE_WINDOW_FRAMES, windowStep, type WindowStep } from '../../../src/core/stream-window.js';

export interface OrtWebStreamOptions {
  /** Where the .mjs/.wasm files are served (the page: '/ort/'); absent = next to the package (Node). */
  wasmPaths?: string;
  /** WASM threads; more than 1 needs crossOriginIsolated (COOP/COEP). Default 1. */
  threads?: number;
  /** Frames per window (src/core/stream-window.ts); 0 = one stream that is never restarted. Default LIVE_WINDOW_FRAMES. */
  windowFrames?: number;
}

export interface StepResult {
  /** [num_classes] */
  logits: Float32Array;
  /** Time spent in session.run (both windows). */
  inferMs: number;
}

export interface OrtWebStream {
  readonly info: LiveModelInfo;
  /** One frame, [height, width, 3] RGB at the model's size. Steps run one after another, in call order. */
  step(rgb: Uint8Array): Promise<StepResult>;
  /** Back to zero states (a new stream), after any step in flight. */
  reset(): void;
  dispose(): Promise<void>;
}

/** ort.env is global to the page: its WASM flags only count before the first session is created. */
function configureWasm(opts: OrtWebStreamOptions): void {
  if (opts.wasmPaths !== undefined) ort.env.wasm.wasmPaths = opts.wasmPaths;
  ort.env.wasm.numThreads = Math.max(1, Math.floor(opts.threads ?? 1));
}

export async function createOrtWebStream(info: LiveModelInfo, model: Uint8Array, opts: OrtWebStreamOptions = {}): Promise<OrtWebStream> {
  configureWasm(opts);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  } catch (e) {
    throw new ActionLensError('AL_ERR_RUNTIME_INIT', `onnxruntime-web could not load model ${info.id}: ${(e as Error).message ?? e}`, {
      hint: 'Check that the server serves onnxruntime-web files at /ort/ and that the browser supports WebAssembly SIMD; or choose "on the server".',
      cause: e,
    });
  }
  try {
    return openStream(session, info, opts.windowFrames ?? info.window_frames ?? LIVE_WINDOW_FRAMES);
  } catch (e) {
    await session.release(); // a model that does not fit the info is not kept
    throw e;
  }
}

/** The model's tensor for an input, symbolic dimensions opened as 1 (a stream runs one frame at a time). */
function inputOf(session: ort.InferenceSession, info: LiveModelInfo, name: string, role: string): { type: TensorType; dims: number[] } {
  const meta = session.inputMetadata.find((m) => m.name === name);
  if (!meta || !meta.isTensor) {
    throw new ActionLensError('AL_ERR_RUNTIME_INIT', `model ${info.id}: ${role} input '${name}' is not an input of the model (inputs: ${session.inputNames.join(', ')}).`);
  }
  return { type: meta.type as TensorType, dims: meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 1)) };
}

function openStream(session: ort.InferenceSession, info: LiveModelInfo, windowFrames: number): OrtWebStream {
  for (const name of [info.logits_output, ...info.states.map((s) => s.output)]) {
    if (!session.outputNames.includes(name)) {
      throw new ActionLensError('AL_ERR_RUNTIME_INIT', `model ${info.id}: output '${name}' is not an output of the model (outputs: ${session.outputNames.join(', ')}).`);
    }
  }
  const quantized = decodeQuantizedInputs(info.quantized_inputs);
  const image = inputOf(session, info, info.image_input, 'image');
  if (image.dims.join(',') !== `1,1,${info.height},${info.width},3`) {
    throw new ActionLensError('AL_ERR_RUNTIME_INIT', `model ${info.id}: image input is [${image.dims.join(', ')}], expected [1, 1, ${info.height}, ${info.width}, 3].`);
  }
  const imageQuantization = quantized.get(info.image_input);
  const encode = createStreamFrameEncoder({
    width: info.width,
    height: info.height,
    valueScale: info.value_scale,
    ...(imageQuantization ? { quantization: imageQuantization } : {}),
  });

  // States at real zero; fresh arrays each time, since ORT may keep a fed tensor's buffer.
  const stateMakers = info.states.map(({ input }) => {
    const { type, dims } = inputOf(session, info, input, 'state');
    const q: InputQuantization | undefined = quantized.get(input);
    if (q && type !== 'uint8') throw new ActionLensError('AL_ERR_RUNTIME_INIT', `model ${info.id}: state '${input}' is listed as quantized but is ${type}, not uint8.`);
    return () => (q ? new ort.Tensor('uint8', new Uint8Array(numel(dims)).fill(q.zeroPoint), dims) : new ort.Tensor(type, zerosTensor(type, dims).data as Float32Array, dims));
  });
  const zeroStates = () => stateMakers.map((make) => make());
  const fetches = [info.logits_output, ...info.states.map((s) => s.output)];
  const plan = (k: number): WindowStep => (windowFrames > 0 ? windowStep(k, windowFrames) : { restart: [false, false], active: [true, false], report: 0 });

  // Two lanes of states (the staggered windows); `frame` counts frames since the start or the last reset.
  let lanes: ort.Tensor[][] = [zeroStates(), zeroStates()];
  let frame = 0;
  let disposed = false;
  // The states of step n+1 are the outputs of step n: steps (and resets) run strictly in call order.
  let chain: Promise<unknown> = Promise.resolve();

  const runLane = async (lane: 0 | 1, image: ort.Tensor): Promise<ort.Tensor> => {
    const feeds: Record<string, ort.Tensor> = { [info.image_input]: image };
    info.states.forEach((s, i) => (feeds[s.input] = lanes[lane]![i]!));
    let out: ort.InferenceSession.ReturnType;
    try {
      out = await session.run(feeds, fetches);
    } catch (e) {
      throw new ActionLensError('AL_ERR_INFERENCE_FAILED', `onnxruntime-web failed on a frame of ${info.id}: ${(e as Error).message ?? e}`, { cause: e });
    }
    lanes[lane] = info.states.map((s) => out[s.output]!);
    return out[info.logits_output]!;
  };

  const runStep = async (rgb: Uint8Array): Promise<StepResult> => {
    if (disposed) throw new ActionLensError('AL_ERR_INFERENCE_FAILED', `the in-page session of ${info.id} is closed.`);
    const t = encode({ index: 0, ptsSec: 0, width: info.width, height: info.height, data: rgb });
    const imageTensor = new ort.Tensor(t.type, t.data as Uint8Array, [...t.dims]); // [1, 1, H, W, 3]
    const step = plan(frame++);
    const t0 = performance.now();
    let logits: ort.Tensor | undefined;
    for (const lane of [0, 1] as const) {
      if (step.restart[lane]) lanes[lane] = zeroStates();
      if (!step.active[lane]) continue;
      const out = await runLane(lane, imageTensor);
      if (lane === step.report) logits = out;
    }
    const inferMs = performance.now() - t0;
    if (!logits || logits.type !== 'float32' || logits.data.length !== info.labels.length) {
      throw new ActionLensError('AL_ERR_BAD_MODEL_OUTPUT', `Unexpected output from model ${info.id}: ${logits?.type} [${logits?.dims.join(', ')}], expected float32 with ${info.labels.length} classes.`);
    }
    return { logits: logits.data as Float32Array, inferMs };
  };

  return {
    info,
    step(rgb) {
      const result = chain.then(() => runStep(rgb));
      chain = result.catch(() => undefined);
      return result;
    },
    reset() {
      chain = chain.then(() => {
        lanes = [zeroStates(), zeroStates()];
        frame = 0;
      });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await chain; // a step in flight finishes before its session goes
      await session.release();
    },
  };
}

/** The stream as the live loop's engine: the top-K of the frame's probabilities, with the model's labels. */
export function ortWebEngine(stream: OrtWebStream, k = 5): LiveEngine {
  return {
    async step(rgb) {
      const { logits, inferMs } = await stream.step(rgb);
      return { topk: topK(softmax(logits), k, 0, stream.info.labels), inferMs };
    },
  };
}
