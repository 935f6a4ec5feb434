// The inference worker: owns one ONNX Runtime session. session.run blocks the thread it runs on for
// the whole call, so it lives here and never on the main event loop. Stream models keep their
// state tensors inside the worker, so only one frame in and one logits vector out cross threads.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { TensorData, TensorType } from '../core/tensor.js';
import { zerosTensor } from '../core/tensor.js';
import type { InitReply, StreamOpen, ValueInfo, WorkerReply, WorkerRequest } from './worker-protocol.js';

if (!parentPort) throw new Error('session-worker must run in a worker thread');
const port = parentPort;

let session: ort.InferenceSession | undefined;
let stream: { spec: StreamOpen; states: Map<string, ort.Tensor>; zeros: Map<string, TensorData> } | undefined;

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
      const model = req.init.model;
      session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
      return {
        provider,
        fallbacks,
        inputs: describe(session.inputMetadata),
        outputs: describe(session.outputMetadata),
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

function openStream(spec: StreamOpen): void {
  const s = requireSession();
  const zeros = new Map<string, TensorData>();
  for (const { input } of spec.states) {
    const meta = s.inputMetadata.find((m) => m.name === input);
    if (!meta || !meta.isTensor) throw new Error(`stream state input '${input}' is not an input of the model`);
    // Streams run one frame at a time: a symbolic dimension is a batch/time of 1.
    const dims = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 1));
    zeros.set(input, zerosTensor(meta.type as TensorType, dims));
  }
  stream = { spec, zeros, states: new Map() };
  resetStream();
}

function resetStream(): void {
  if (!stream) throw new Error('no stream is open');
  // Fresh copies: ORT may hand back outputs that alias nothing, but feeds must never be shared.
  for (const [name, z] of stream.zeros) {
    stream.states.set(name, toOrt(zerosTensor(z.type, z.dims)));
  }
}

async function stepStream(image: TensorData): Promise<TensorData> {
  const s = requireSession();
  if (!stream) throw new Error('no stream is open');
  const feeds: Record<string, ort.Tensor> = { [stream.spec.imageInput]: toOrt(image) };
  for (const [name, t] of stream.states) feeds[name] = t;
  const out = await s.run(feeds);
  for (const { input, output } of stream.spec.states) {
    const next = out[output];
    if (!next) throw new Error(`model did not return state output '${output}'`);
    stream.states.set(input, next);
  }
  const logits = out[stream.spec.logitsOutput];
  if (!logits) throw new Error(`model did not return '${stream.spec.logitsOutput}'`);
  return fromOrt(logits);
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
