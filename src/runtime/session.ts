// Main-thread handle on an inference worker. Every call is a message to the worker; nothing here
// blocks the event loop.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ActionLensError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { TensorData } from '../core/tensor.js';
import type { InitReply, SessionInit, StreamImageInput, StreamOpen, WorkerReply, WorkerRequest } from './worker-protocol.js';

export type { StreamImageInput } from './worker-protocol.js';

export interface InferenceSession {
  /** The execution provider that actually runs the model (after any fallback). */
  readonly provider: string;
  readonly info: InitReply;
  /** The feeds' buffers are transferred to the worker (not copied): the caller's arrays are empty afterwards. */
  run(feeds: Record<string, TensorData>, outputs?: string[]): Promise<Record<string, TensorData>>;
  /** Opens the model as a stream: states start at zero and are carried from step to step. */
  openStream(spec: StreamOpen): Promise<StreamSession>;
  close(): Promise<void>;
}

export interface StreamSession {
  /** The frame tensor step() takes: its type, dims, and quantization when the model takes uint8 codes. */
  readonly image: StreamImageInput;
  /** Feeds one frame, returns the logits; states are fed back inside the worker. */
  step(image: TensorData): Promise<TensorData>;
  /** Back to all-zero states (a new video). */
  reset(): Promise<void>;
}

export interface CreateSessionOptions {
  threads?: number;
  executionProviders?: readonly string[];
  logger?: Logger;
}

/** The worker script: compiled next to this file in dist/; from sources (tests) use the build. */
function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  const js = here.replace(/session\.(ts|js)$/, 'session-worker.js');
  if (existsSync(js) && here.endsWith('.js')) return js;
  const built = fileURLToPath(new URL('../../dist/runtime/session-worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new ActionLensError('AL_ERR_RUNTIME_INIT', `inference worker script not found at ${js} or ${built}`, {
    hint: 'run `npm run build` first',
  });
}

/** `model` is an .onnx path, or the model's bytes (their buffer is moved to the worker, not copied). */
export async function createInferenceSession(model: string | Uint8Array, opts: CreateSessionOptions = {}): Promise<InferenceSession> {
  const modelName = typeof model === 'string' ? model : `an in-memory model (${model.byteLength} bytes)`;
  const logger = opts.logger ?? silentLogger;
  const worker = new Worker(workerPath());
  let nextId = 1;
  let dead: Error | undefined;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; kind: string }>();

  const failAll = (e: Error) => {
    dead = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new ActionLensError(p.kind === 'init' ? 'AL_ERR_RUNTIME_INIT' : 'AL_ERR_INFERENCE_FAILED', reply.error.message));
  });
  worker.on('error', (e) => failAll(new ActionLensError('AL_ERR_INFERENCE_FAILED', `inference worker crashed: ${e.message}`)));
  worker.on('exit', (code) => {
    if (pending.size > 0) failAll(new ActionLensError('AL_ERR_INFERENCE_FAILED', `inference worker exited (code ${code})`));
  });

  type Body = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
  const call = <T>(body: Body, transfer: ArrayBuffer[] = []): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, kind: body.kind });
      try {
        // Feeds may be views of one buffer: a transfer list must name each buffer once.
        worker.postMessage({ ...body, id } as WorkerRequest, [...new Set(transfer)]);
      } catch (e) {
        pending.delete(id);
        reject(new ActionLensError('AL_ERR_INFERENCE_FAILED', `could not send the ${body.kind} request to the inference worker: ${(e as Error).message}`));
      }
    });
  };

  const init: SessionInit = {
    model,
    threads: opts.threads ?? 0,
    executionProviders: opts.executionProviders ?? ['cpu'],
  };
  let info: InitReply;
  try {
    const transfer = typeof model !== 'string' && model.buffer instanceof ArrayBuffer ? [model.buffer] : [];
    info = await call<InitReply>({ kind: 'init', init }, transfer);
  } catch (e) {
    await worker.terminate();
    if (e instanceof ActionLensError) {
      throw new ActionLensError('AL_ERR_RUNTIME_INIT', `could not load ${modelName} in ONNX Runtime: ${e.message}`, {
        hint: 'if the file is damaged, delete it (`actionlens models path <id>` shows where) and run again; check --device / runtime.execution_providers',
      });
    }
    throw e;
  }
  for (const f of info.fallbacks) logger.warn({ provider: f.provider, reason: f.reason }, 'execution provider unavailable, falling back');
  logger.info({ provider: info.provider, threads: init.threads || 'auto' }, `inference runs on ${info.provider}`);

  const bufferOf = (t: TensorData) => (t.data.buffer instanceof ArrayBuffer ? [t.data.buffer] : []);
  return {
    provider: info.provider,
    info,
    run: (feeds, outputs) =>
      call<Record<string, TensorData>>({ kind: 'run', feeds, outputs }, Object.values(feeds).flatMap(bufferOf)),
    async openStream(spec) {
      const image = await call<StreamImageInput>({ kind: 'stream-open', stream: spec });
      return {
        image,
        step: (image) => call<TensorData>({ kind: 'stream-step', image }, bufferOf(image)),
        reset: () => call<void>({ kind: 'stream-reset' }),
      };
    },
    async close() {
      if (!dead) await call<void>({ kind: 'close' }).catch(() => undefined);
      dead = dead ?? new ActionLensError('AL_ERR_INFERENCE_FAILED', 'session is closed');
      await worker.terminate();
    },
  };
}
