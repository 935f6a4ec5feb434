// The inference worker: owns one ONNX Runtime session. session.run blocks the thread it runs on for
// the whole call, so it lives here and never on the main event loop. Stream models keep their
// state tensors inside the worker, so only one frame in and one logits vector out cross threads.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { decodeQuantizedInputs, QUANTIZED_INPUTS_METADATA_KEY, type InputQuantization } from '../core/quantized-input.js';
import type { TensorData, TensorType } from '../core/tensor.js';
import { numel, zerosTensor } from '../core/tensor.js';
import { readOnnxMetadata } from './onnx-metadata.js';
import type { InitReply, StreamImageInput, StreamOpen, ValueInfo, WorkerReply, WorkerRequest } from './worker-protocol.js';

if (!parentPort) throw new Error('session-worker must run in a worker thread');
const port = parentPort;

let session: ort.InferenceSession | undefined;
let quantizedInputs = new Map<string, InputQuantization>();
interface OpenStream {
  spec: StreamOpen;
  /** The feeds of the next step: states are replaced by the last step's outputs (no copies). */
  feeds: Record<string, ort.Tensor>;
  fetches: string[];
  /** Each state's starting value (real zero), copied on reset. */
  initial: Map<string, TensorData>;
}
let stream: OpenStream | undefined;

function toOrt(t: TensorData): ort.Tensor {
  return new ort.Tensor(t.type, t.data, t.dims);
}

function fromOrt(t: ort.Tensor): TensorData {
  return { type: t.type as TensorType, dims: [...t.dims], data: t.data as TensorData['data'] };
}

function describe(meta: readonly ort.InferenceSession.ValueMetadata[]): ValueInfo[] {
  return meta.map((m) =>
    m.isTensor
      ? { name: m.name, type: m.type, dims: m.shape.map((d) => (typeof d === 'number' ? d : -1)) }
      : { name: m.name, type: 'non-tensor', dims: [] },
  );
}

async function init(req: Extract<WorkerRequest, { kind: 'init' }>): Promise<InitReply> {
  const wanted = [...req.init.executionProviders.filter((p) => p !== 'cpu'), 'cpu'];
  const fallbacks: InitReply['fallbacks'] = [];
  for (const provider of wanted) {
    try {
      const options: ort.InferenceSession.SessionOptions = {
        executionProviders: [provider],
        // 0 = let ONNX Runtime choose (it rejects an explicit undefined)
        ...(req.init.threads > 0 ? { intraOpNumThreads: req.init.threads } : {}),
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      };
      // Read once here: the metadata (not exposed by ONNX Runtime) and the session come from the same bytes.
      const model = typeof req.init.model === 'string' ? await readFile(req.init.model) : req.init.model;
      const metadata = readOnnxMetadata(model);
      quantizedInputs = decodeQuantizedInputs(metadata[QUANTIZED_INPUTS_METADATA_KEY]);
      session = await ort.InferenceSession.create(model, options);
      return {
        provider,
        fallbacks,
        inputs: describe(session.inputMetadata),
        outputs: describe(session.outputMetadata),
        metadata,
        ortVersion: ort.env.versions.node ?? ort.env.versions.common ?? 'unknown',
      };
    } catch (e) {
      fallbacks.push({ provider, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new Error(fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; '));
}

function requireSession(): ort.InferenceSession {
  if (!session) throw new Error('session not initialised');
  return session;
}

/** An input's tensor metadata, with symbolic dimensions opened as 1 (streams run one frame at a time). */
function streamInput(s: ort.InferenceSession, name: string, role: string): { type: TensorType; dims: number[] } {
  const meta = s.inputMetadata.find((m) => m.name === name);
  if (!meta || !meta.isTensor) {
    throw new Error(`stream ${role} input '${name}' is not an input of the model (inputs: ${s.inputNames.join(', ')})`);
  }
  return { type: meta.type as TensorType, dims: meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 1)) };
}

/** A state at real zero: zeros, or the zero point where the input takes quantized codes. */
function initialState(name: string, type: TensorType, dims: number[]): TensorData {
  const q = quantizedInputs.get(name);
  if (!q) return zerosTensor(type, dims);
  if (type !== 'uint8') {
    throw new Error(`the model's metadata lists input '${name}' as quantized, but its type is ${type}; quantized inputs must be uint8`);
  }
  return { type, dims, data: new Uint8Array(numel(dims)).fill(q.zeroPoint) };
}

function openStream(spec: StreamOpen): StreamImageInput {
  const s = requireSession();
  const image = streamInput(s, spec.imageInput, 'image');
  if (!s.outputNames.includes(spec.logitsOutput)) {
    throw new Error(`stream logits output '${spec.logitsOutput}' is not an output of the model (outputs: ${s.outputNames.join(', ')})`);
  }
  const initial = new Map<string, TensorData>();
  for (const { input, output } of spec.states) {
    const { type, dims } = streamInput(s, input, 'state');
    if (!s.outputNames.includes(output)) throw new Error(`stream state output '${output}' is not an output of the model`);
    initial.set(input, initialState(input, type, dims));
  }
  stream = { spec, initial, feeds: {}, fetches: [spec.logitsOutput, ...spec.states.map((st) => st.output)] };
  resetStream();
  const quantization = quantizedInputs.get(spec.imageInput);
  return { name: spec.imageInput, ...image, ...(quantization ? { quantization } : {}) };
}

function resetStream(): void {
  if (!stream) throw new Error('no stream is open');
  // Fresh copies: the previous step's outputs are dropped, the initial values are never fed themselves.
  for (const [name, t] of stream.initial) stream.feeds[name] = new ort.Tensor(t.type, t.data.slice(), t.dims);
}

async function stepStream(image: TensorData): Promise<TensorData> {
  const s = requireSession();
  if (!stream) throw new Error('no stream is open');
  const { feeds, spec } = stream;
  feeds[spec.imageInput] = toOrt(image);
  // Only the outputs the stream uses are fetched; each state output becomes the next input as is.
  const out = await s.run(feeds, stream.fetches);
  for (const { input, output } of spec.states) feeds[input] = out[output]!;
  delete feeds[spec.imageInput]; // the frame's buffer is not kept alive past its step
  return fromOrt(out[spec.logitsOutput]!);
}

async function run(feeds: Record<string, TensorData>, outputs?: string[]): Promise<Record<string, TensorData>> {
  const s = requireSession();
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = toOrt(v);
  const out = outputs ? await s.run(ortFeeds, outputs) : await s.run(ortFeeds);
  const result: Record<string, TensorData> = {};
  for (const [k, v] of Object.entries(out)) result[k] = fromOrt(v as ort.Tensor);
  return result;
}

function transferables(value: unknown): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  const add = (t: TensorData) => {
    if (t.data.buffer instanceof ArrayBuffer && !list.includes(t.data.buffer)) list.push(t.data.buffer);
  };
  if (value && typeof value === 'object') {
    if ('data' in value && 'dims' in value) add(value as TensorData);
    else for (const v of Object.values(value)) if (v && typeof v === 'object' && 'data' in v) add(v as TensorData);
  }
  return list;
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.kind) {
    case 'init':
      return init(req);
    case 'run':
      return run(req.feeds, req.outputs);
    case 'stream-open':
      return openStream(req.stream);
    case 'stream-step':
      return stepStream(req.image);
    case 'stream-reset':
      return resetStream();
    case 'close':
      await session?.release();
      session = undefined;
      stream = undefined;
      return undefined;
  }
}

// Requests are handled strictly one at a time: a stream's state depends on the order of steps.
let chain: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  chain = chain.then(async () => {
    let reply: WorkerReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const value = await handle(req);
      reply = { id: req.id, ok: true, value };
      transfer = transferables(value);
    } catch (e) {
      reply = { id: req.id, ok: false, error: { code: req.kind, message: e instanceof Error ? e.message : String(e) } };
    }
    try {
      port.postMessage(reply, transfer);
    } catch {
      // Output buffers owned by ORT may not be transferable: fall back to a copy.
      port.postMessage(reply);
    }
  });
});
