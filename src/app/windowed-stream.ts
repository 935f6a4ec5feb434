// A stream model as a StreamSession that never runs on one unbounded history: with
// output.stream.window_frames set, two lanes (two inference workers, side by side) are restarted in
// staggered windows and the lane with more history is reported (src/core/stream-window.ts). Used by
// file analysis and by the server's live socket, so both give the same scores for the same frames.
import type { Logger } from '../core/logger.js';
import { windowStep } from '../core/stream-window.js';
import type { TensorData } from '../core/tensor.js';
import type { ModelSpec } from '../models/spec.js';
import { createInferenceSession, type InferenceSession, type StreamImageInput, type StreamSession } from '../runtime/session.js';
import { openModelStream } from './open-model-stream.js';

/** A copy in a buffer of its own (a Node Buffer's slice() would be a view). */
function copyOf(data: TensorData['data']): TensorData['data'] {
  const TypedArray = Object.getPrototypeOf(Uint8Array.prototype) as { slice: { call(x: unknown): unknown } };
  return TypedArray.slice.call(data) as TensorData['data'];
}

export interface WindowedStream extends StreamSession {
  /** The execution provider that runs the model. */
  readonly provider: string;
  /** The first lane's session description (inputs, outputs, metadata, versions). */
  readonly info: InferenceSession['info'];
  close(): Promise<void>;
}

export interface OpenWindowedStreamOptions {
  threads: number;
  executionProviders: readonly string[];
  logger: Logger;
}

export async function openWindowedStream(spec: ModelSpec, onnxPath: string, opts: OpenWindowedStreamOptions): Promise<WindowedStream> {
  const window = spec.output.stream?.window_frames;
  const sessions: InferenceSession[] = [];
  const openLane = async (): Promise<StreamSession> => {
    const session = await createInferenceSession(onnxPath, { threads: opts.threads, executionProviders: opts.executionProviders, logger: opts.logger });
    sessions.push(session);
    return openModelStream(spec, session);
  };
  // Settled both ways, so no worker is left starting unseen when the other fails.
  const opened = await Promise.allSettled(window ? [openLane(), openLane()] : [openLane()]);
  const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
    throw failed.reason;
  }
  const lanes = opened.map((r) => (r as PromiseFulfilledResult<StreamSession>).value);
  const image: StreamImageInput = lanes[0]!.image;
  let k = 0;

  return {
    image,
    provider: sessions[0]!.provider,
    info: sessions[0]!.info,
    async step(frame: TensorData): Promise<TensorData> {
      if (!window) return lanes[0]!.step(frame);
      const plan = windowStep(k++, window);
      // Each worker takes its tensor's buffer: the second lane's copy is made before the first sends.
      const tensors = [frame, plan.active[1] ? { ...frame, data: copyOf(frame.data) } : undefined];
      const logits = await Promise.all(
        lanes.map(async (lane, i) => {
          if (!plan.active[i]) return undefined;
          if (plan.restart[i]) await lane.reset();
          return lane.step(tensors[i]!);
        }),
      );
      return logits[plan.report]!;
    },
    async reset() {
      k = 0;
      await Promise.all(lanes.map((lane) => lane.reset()));
    },
    async close() {
      await Promise.all(sessions.map((s) => s.close()));
    },
  };
}
