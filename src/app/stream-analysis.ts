// One video through a stream model (MoViNet): decode at the model's size and rate, one frame per
// step, states carried inside the worker and reset per video, scores into the timeline builder.
// One step is kept in flight so the next frame is decoded and transformed while the model runs.
import { createStreamFrameEncoder } from '../core/frame-to-tensor.js';
import { ActionLensError, throwIfAborted } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createTimelineBuilder, softmax, type TimelineResult } from '../core/postprocess/index.js';
import type { AnalysisSettings } from '../core/settings/index.js';
import type { TensorData } from '../core/tensor.js';
import type { VideoInfo } from '../core/video-types.js';
import type { ModelSpec } from '../models/spec.js';
import type { StreamSession } from '../runtime/session.js';
import { decodeFrames } from '../video/index.js';

export interface StreamAnalysisInput {
  videoPath: string;
  info: VideoInfo;
  spec: ModelSpec;
  labels: string[];
  stream: StreamSession;
  analysis: AnalysisSettings;
  ffmpeg: string;
  queueFrames: number;
  logger: Logger;
  signal?: AbortSignal;
  /** Called after each scored frame: time, frames so far, and the frame's probabilities. */
  onFrame?: (tSec: number, frames: number, probs: Float32Array) => void;
}

export interface StreamAnalysisOutput {
  result: TimelineResult;
  frames: number;
  timings: { decode_ms: number; transform_ms: number; infer_ms: number; postprocess_ms: number };
}

/** The frame rate fed to the model: the user's, else the model's own; undefined = every frame. */
export function streamFps(spec: ModelSpec, analysis: AnalysisSettings): number | undefined {
  if (analysis.sample_fps === 'all') return undefined;
  if (typeof analysis.sample_fps === 'number') return analysis.sample_fps;
  return spec.input.layout === 'NTHWC-stream' ? spec.input.default_fps : undefined;
}

export async function analyzeStream(input: StreamAnalysisInput): Promise<StreamAnalysisOutput> {
  const { spec, analysis } = input;
  if (spec.input.layout !== 'NTHWC-stream' || !spec.input.size) {
    throw new ActionLensError('AL_ERR_INTERNAL', `model ${spec.id} is not a stream model with a fixed input size`);
  }
  const { width, height } = spec.input.size;
  const numClasses = input.labels.length;
  const builder = createTimelineBuilder({ labels: input.labels, ...analysis });
  const timings = { decode_ms: 0, transform_ms: 0, infer_ms: 0, postprocess_ms: 0 };
  // The model's image input decides the tensor: float32 values, or uint8 codes when it is quantized.
  const { quantization } = input.stream.image;
  const encodeFrame = createStreamFrameEncoder({ width, height, valueScale: spec.input.value_scale, ...(quantization ? { quantization } : {}) });

  await input.stream.reset(); // every video starts from all-zero states
  const frames = decodeFrames(input.videoPath, {
    geometry: { kind: 'exact', width, height },
    fps: streamFps(spec, analysis),
    queueFrames: input.queueFrames,
    signal: input.signal,
    tools: { ffmpeg: input.ffmpeg },
    logger: input.logger,
  });

  let count = 0;
  let inFlight: { t: number; logits: Promise<TensorData>; sentAt: number } | undefined;
  const settle = async () => {
    if (!inFlight) return;
    const logits = await inFlight.logits;
    timings.infer_ms += performance.now() - inFlight.sentAt;
    if (logits.data.length !== numClasses) {
      throw new ActionLensError('AL_ERR_BAD_MODEL_OUTPUT', `Unexpected output shape from model ${spec.id}: [${logits.dims.join(', ')}], expected ${numClasses} classes.`);
    }
    const p0 = performance.now();
    const probs = softmax(logits.data as Float32Array);
    builder.push(inFlight.t, probs);
    timings.postprocess_ms += performance.now() - p0;
    count++;
    input.onFrame?.(inFlight.t, count, probs);
    inFlight = undefined;
  };

  const iterator = frames[Symbol.asyncIterator]();
  try {
    for (;;) {
      const d0 = performance.now();
      const next = await iterator.next();
      timings.decode_ms += performance.now() - d0;
      if (next.done) break;
      throwIfAborted(input.signal);
      const t0 = performance.now();
      const tensor = encodeFrame(next.value);
      timings.transform_ms += performance.now() - t0;
      await settle(); // the previous step must finish before this one: states flow frame to frame
      inFlight = { t: next.value.ptsSec, logits: input.stream.step(tensor), sentAt: performance.now() };
    }
    await settle();
  } finally {
    // Reached on errors and aborts too: stops ffmpeg; a pending step is awaited so nothing dangles.
    await iterator.return?.();
    await inFlight?.logits.catch(() => undefined);
  }

  const p0 = performance.now();
  const result = builder.finish(input.info.durationSec);
  timings.postprocess_ms += performance.now() - p0;
  if (count === 0) {
    throw new ActionLensError('AL_ERR_DECODE_FAILED', `No frames could be decoded from ${input.videoPath}.`, {
      hint: 'Check that the file plays in a video player; re-encode it with ffmpeg if it does not.',
    });
  }
  return { result, frames: count, timings };
}
