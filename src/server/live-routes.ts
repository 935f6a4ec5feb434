// Live (webcam) analysis with a stream model. Three routes under /api/live/:model:
//   GET  info  LiveModelInfo: what the page needs to run the model itself (onnxruntime-web)
//   GET  onnx  the converted ONNX file, for the page
//   WS   ws    the page sends binary frames (src/core/api/live-frame.ts), the server answers one
//              LiveReply (JSON) per frame it scored.
// Latency first: while a frame is being inferred, newer frames replace the waiting one, so a slow
// model skips frames instead of falling behind. A camera never stops, so each socket runs two streams
// in staggered windows (src/core/stream-window.ts, src/app/windowed-stream.ts). Token checks are the server's global hook.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_PREFIX, type ErrorBody, type LiveModelInfo, type LiveReply } from '../core/api/index.js';
import { decodeLiveFrame, type LiveFrame } from '../core/api/live-frame.js';
import { ActionLensError, isActionLensError } from '../core/errors.js';
import { createStreamFrameEncoder } from '../core/frame-to-tensor.js';
import type { Logger } from '../core/logger.js';
import { roundSignificant, softmax, topK } from '../core/postprocess/index.js';
import { QUANTIZED_INPUTS_METADATA_KEY } from '../core/quantized-input.js';
import type { TensorData } from '../core/tensor.js';
import type { AppConfig } from '../core/settings/index.js';
import type { PreparedModel } from '../app/prepare-model.js';
import { onnxModelInterface, streamWiring, type ModelInterface } from '../app/open-model-stream.js';
import { openWindowedStream, type WindowedStream } from '../app/windowed-stream.js';
import type { ModelSpec } from '../models/spec.js';
import { getModelSpec, listModels } from '../models/zoo.js';

export interface LiveRoutesOptions {
  config: AppConfig;
  logger: Logger;
  /** Model id -> spec, labels and converted ONNX (the server's shared, download-once preparation). */
  prepare: (modelId: string, signal?: AbortSignal) => Promise<PreparedModel>;
  /** Live sockets open at once; each runs two inference workers (the window lanes). Default LIVE_MAX_SOCKETS. */
  maxSockets?: number;
}

export const LIVE_MAX_SOCKETS = 4;
/** Largest message a live socket accepts (ws closes with 1009 above it): far above a model-sized frame. */
const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/** WebSocket close codes (RFC 6455). */
const CLOSE = { unsupportedData: 1003, policyViolation: 1008, internalError: 1011, tryAgainLater: 1013 } as const;

const ParamsSchema = z.object({
  model: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, { error: 'expected a zoo model id such as movinet-a0-stream-k600' }),
});

/** The socket calls used here (the `ws` package's WebSocket, which ships no type declarations). */
interface LiveSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}
const SOCKET_OPEN = 1;

interface LiveInput {
  width: number;
  height: number;
  fps: number;
  valueScale: number;
}

function parseModelId(params: unknown): string {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) {
    const value = (params as { model?: unknown } | undefined)?.model;
    throw new ActionLensError('AL_ERR_BAD_REQUEST', `Model id ${JSON.stringify(value)} is not valid: ${parsed.error.issues[0]?.message ?? 'malformed'}.`);
  }
  return parsed.data.model;
}

/** A zoo stream model's spec and frame input; AL_ERR_UNKNOWN_MODEL / AL_ERR_NOT_A_STREAM_MODEL otherwise. */
function liveModel(modelId: string): { spec: ModelSpec; input: LiveInput } {
  const spec = getModelSpec(modelId);
  const input = spec.input;
  if (input.layout !== 'NTHWC-stream' || !input.size || !spec.output.stream) {
    const streams = listModels().filter((s) => s.input.layout === 'NTHWC-stream').map((s) => s.id);
    throw new ActionLensError('AL_ERR_NOT_A_STREAM_MODEL', `Model ${modelId} analyses whole clips of frames; live (webcam) analysis needs a stream model, which scores one frame at a time.`, {
      hint: streams.length > 0 ? `Choose a stream model: ${streams.join(', ')}.` : 'No stream model is in the zoo.',
    });
  }
  return { spec, input: { width: input.size.width, height: input.size.height, fps: input.default_fps, valueScale: input.value_scale } };
}

/** What the page needs to run the stream itself; the wiring comes from the converted ONNX's interface. */
export function liveModelInfo(prepared: PreparedModel, model: ModelInterface): LiveModelInfo {
  const { spec, input } = liveModel(prepared.spec.id);
  const wiring = streamWiring(prepared.spec, model);
  const quantized = model.metadata[QUANTIZED_INPUTS_METADATA_KEY];
  return {
    id: spec.id,
    onnx_url: `${API_PREFIX}/live/${encodeURIComponent(spec.id)}/onnx`,
    labels: prepared.labels,
    width: input.width,
    height: input.height,
    default_fps: input.fps,
    image_input: wiring.imageInput,
    logits_output: wiring.logitsOutput,
    states: wiring.states,
    ...(quantized !== undefined ? { quantized_inputs: quantized } : {}),
    value_scale: input.valueScale,
    ...(spec.output.stream?.window_frames ? { window_frames: spec.output.stream.window_frames } : {}),
  };
}

function errorBody(e: unknown): ErrorBody {
  if (isActionLensError(e)) return { error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
  return { error: { code: 'AL_ERR_INTERNAL', message: e instanceof Error ? e.message : String(e) } };
}

/** A close reason is at most 123 bytes of UTF-8; the full message goes in the JSON before it. */
function closeReason(text: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 123) return text;
  return new TextDecoder().decode(bytes.subarray(0, 120)).replace(/\uFFFD$/, '') + '...';
}

/**
 * The message as a plain Uint8Array view. Not a Buffer: Buffer#slice makes a view where the frame
 * encoder expects a copy, and moving that "copy" to a worker would detach the socket's own memory.
 */
function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const buffer = Array.isArray(data) ? Buffer.concat(data) : data;
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export async function liveRoutes(app: FastifyInstance, opts: LiveRoutesOptions): Promise<void> {
  const { config, logger } = opts;
  const maxSockets = opts.maxSockets ?? LIVE_MAX_SOCKETS;
  await app.register(websocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });

  // The info needs the ONNX's state wiring and quantization: read once per converted file.
  const infoCache = new Map<string, Promise<LiveModelInfo>>();
  const infoFor = (prepared: PreparedModel): Promise<LiveModelInfo> => {
    const key = `${prepared.spec.id}:${prepared.onnxSha256}`;
    let info = infoCache.get(key);
    if (!info) {
      info = (async () => {
        return liveModelInfo(prepared, onnxModelInterface(new Uint8Array(await readFile(prepared.onnxPath))));
      })();
      infoCache.set(key, info);
      info.catch(() => infoCache.delete(key)); // a failure is not remembered
    }
    return info;
  };

  const prepareLive = async (params: unknown, signal?: AbortSignal) => {
    const modelId = parseModelId(params);
    liveModel(modelId); // unknown and clip models fail here, before any download or conversion
    return opts.prepare(modelId, signal);
  };

  app.get(`${API_PREFIX}/live/:model/info`, async (req) => infoFor(await prepareLive(req.params)));

  app.get(`${API_PREFIX}/live/:model/onnx`, async (req, reply) => {
    const prepared = await prepareLive(req.params);
    const etag = `"${prepared.onnxSha256}"`;
    // Revalidated on every load: a 304 instead of megabytes while the converted file is unchanged.
    reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    const { size } = await stat(prepared.onnxPath);
    return reply
      .type('application/octet-stream')
      .header('content-length', size)
      .header('content-disposition', `attachment; filename="${prepared.spec.id}.onnx"`)
      .send(createReadStream(prepared.onnxPath));
  });

  // Every socket's promise, until its sessions are closed: the server waits for them when it closes.
  const open = new Set<Promise<void>>();
  let accepted = 0;
  app.addHook('onClose', async () => {
    await Promise.allSettled([...open]);
  });

  app.get(`${API_PREFIX}/live/:model/ws`, { websocket: true }, (socket, req) => {
    const done = serveLiveSocket(socket as LiveSocket, req.params);
    open.add(done);
    void done.finally(() => open.delete(done));
  });

  /** One socket, start to end; resolves once its inference sessions are closed. */
  function serveLiveSocket(socket: LiveSocket, params: unknown): Promise<void> {
    let closed = false;
    let failed = false;
    const abort = new AbortController();
    const counts = { received: 0, scored: 0, dropped: 0 };
    const modelParam = (params as { model?: unknown } | undefined)?.model;

    const fail = (e: unknown) => {
      if (failed || closed) return;
      failed = true;
      const body = errorBody(e);
      const status = isActionLensError(e) ? e.status : 500;
      const code =
        body.error.code === 'AL_ERR_SERVER_BUSY'
          ? CLOSE.tryAgainLater
          : body.error.code === 'AL_ERR_BAD_REQUEST'
            ? CLOSE.unsupportedData
            : status < 500
              ? CLOSE.policyViolation
              : CLOSE.internalError;
      const fields = { model: modelParam, code: body.error.code, ...counts };
      if (status < 500) logger.warn(fields, `live socket refused: ${body.error.message}`);
      else logger.error(fields, `live socket failed: ${body.error.message}`);
      if (socket.readyState === SOCKET_OPEN) {
        socket.send(JSON.stringify(body)); // the page shows code, message and hint from this
        socket.close(code, closeReason(`${body.error.code}: ${body.error.message}`));
      }
    };

    // Listeners go on before any await: frames sent right after the handshake must not be lost.
    let input: LiveInput | undefined;
    let pending: LiveFrame | undefined;
    let pump: () => void = () => undefined;
    socket.on('message', (data, isBinary) => {
      if (closed || failed || !input) return;
      counts.received++;
      if (!isBinary) return fail(new ActionLensError('AL_ERR_BAD_REQUEST', 'The live socket takes binary frames; it got a text message.'));
      let frame: LiveFrame;
      try {
        frame = decodeLiveFrame(toBytes(data));
      } catch (e) {
        return fail(e);
      }
      if (frame.width !== input.width || frame.height !== input.height) {
        return fail(
          new ActionLensError('AL_ERR_BAD_REQUEST', `The frame is ${frame.width}x${frame.height}; this model takes ${input.width}x${input.height} frames.`, {
            hint: `Resize frames to the width and height that GET ${API_PREFIX}/live/<model>/info gives (plain resize, aspect not kept).`,
          }),
        );
      }
      if (pending) counts.dropped++; // only the newest waiting frame is kept
      pending = frame;
      pump();
    });

    let holdsSlot = false;
    const sessions: WindowedStream[] = [];
    let inFlight: Promise<unknown> = Promise.resolve();
    let setup: Promise<void> = Promise.resolve();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    socket.on('close', () => {
      closed = true;
      pending = undefined;
      abort.abort();
      if (holdsSlot) accepted--; // the slot frees now; the worker goes a moment later
      holdsSlot = false;
      logger.debug({ model: modelParam, ...counts }, 'live socket closed');
      // After the setup and the step in flight: the sessions may still have been starting.
      void setup
        .then(() => inFlight)
        .then(() => Promise.all(sessions.map((session) => session.close())))
        .catch((e: unknown) => logger.warn({ err: (e as Error).message }, 'closing a live session failed'))
        .finally(finish);
    });

    setup = (async () => {
      const modelId = parseModelId(params);
      const live = liveModel(modelId);
      if (accepted >= maxSockets) {
        throw new ActionLensError('AL_ERR_SERVER_BUSY', `${maxSockets} live sessions are already open on this server, the most it runs at once (each runs the model in its own workers).`, {
          hint: 'Stop live analysis in another tab or window, or try again in a moment.',
        });
      }
      accepted++;
      holdsSlot = true;
      input = live.input;
      const prepared = await opts.prepare(modelId, abort.signal);
      if (closed) return;
      // Two inference workers (the window lanes, side by side), as file analysis runs the model.
      const stream = await openWindowedStream(prepared.spec, prepared.onnxPath, {
        threads: config.runtime.threads,
        executionProviders: config.runtime.execution_providers,
        logger,
      });
      sessions.push(stream); // closed by the close handler, whenever the socket goes
      if (closed) return;
      const { quantization } = stream.image;
      const encode = createStreamFrameEncoder({ width: input.width, height: input.height, valueScale: input.valueScale, ...(quantization ? { quantization } : {}) });
      const k = config.analysis.topk;
      const labels = prepared.labels;

      const step = (frame: LiveFrame): Promise<TensorData> =>
        stream.step(encode({ index: 0, ptsSec: 0, width: frame.width, height: frame.height, data: frame.rgb }));

      const score = async (frame: LiveFrame) => {
        const t0 = performance.now();
        const logits = await step(frame);
        const inferMs = performance.now() - t0;
        if (logits.data.length !== labels.length) {
          throw new ActionLensError('AL_ERR_BAD_MODEL_OUTPUT', `Unexpected output shape from model ${modelId}: [${logits.dims.join(', ')}], expected ${labels.length} classes.`);
        }
        const topk = topK(softmax(logits.data as Float32Array), k, 0, labels).map((l) => ({ ...l, score: roundSignificant(l.score) }));
        const reply: LiveReply = { t_client: frame.tClient, infer_ms: roundSignificant(inferMs, 4), topk };
        counts.scored++;
        if (!closed && socket.readyState === SOCKET_OPEN) socket.send(JSON.stringify(reply));
      };
      let busy = false;
      pump = () => {
        if (busy || !pending || closed || failed) return;
        const frame = pending;
        pending = undefined;
        busy = true;
        const scored = score(frame);
        inFlight = scored.catch(() => undefined);
        scored.then(() => {
          busy = false;
          pump();
        }, fail);
      };
      logger.debug({ model: modelId, provider: sessions[0]?.provider }, 'live socket ready');
      pump(); // the newest frame that came while the session started
    })().catch(fail);

    return finished;
  }
}
