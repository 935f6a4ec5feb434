// MMAction2's whole-video test protocol for a clip model: frame count -> SampleFrames -> decode only
// the sampled frames -> Resize -> crops -> normalise -> FormatShape -> model (views as the batch
// axis, in chunks) -> average_clip. Frame counting and decoding follow PyAVInit / PyAVDecode: frames
// in decode order, and no `avg_fps` (so target_fps keeps fps_scale_ratio = 1, as in the fixtures).
// Memory: the sampled frames (resized) plus one chunk of views, whatever the video's length.
import { ActionLensError, throwIfAborted } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { averageViews, viewAverageToProbs, type ViewAverage } from '../core/postprocess/index.js';
import { sampleFrames } from '../core/sampling/index.js';
import type { TensorData } from '../core/tensor.js';
import type { ImageU8 } from '../core/transforms/index.js';
import type { VideoInfo } from '../core/video-types.js';
import type { InferenceSession } from '../runtime/session.js';
import { decodeFrames } from '../video/index.js';
import { cropViews, formatViews, resizeFrame, type ClipGeometry } from './clip-input.js';

/** Views per model call: bounds the input tensor and the runtime's activations. */
export const DEFAULT_VIEWS_PER_RUN = 8;

export interface ProtocolDecodeInput {
  videoPath: string;
  info: VideoInfo;
  geometry: ClipGeometry;
  ffmpeg: string;
  queueFrames?: number;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface ProtocolFrames {
  totalFrames: number;
  /** SampleFrames' indices, clip-major (duplicates kept). */
  frameIndices: number[];
  /** One resized frame per entry of frameIndices; repeated indices share one image. */
  frames: ImageU8[];
}

/** Frames in decode order, as PyAV counts them: the container's count, else a counting decode. */
export async function countFrames(input: Omit<ProtocolDecodeInput, 'geometry'>): Promise<number> {
  if (!input.info.frameCountEstimated && input.info.frameCount > 0) return input.info.frameCount;
  let count = 0;
  // Tiny frames: the count needs the decode, not the pixels.
  for await (const frame of decodeFrames(input.videoPath, { geometry: { kind: 'exact', width: 2, height: 2 }, tools: { ffmpeg: input.ffmpeg }, signal: input.signal, logger: input.logger })) {
    count = frame.index + 1;
  }
  return count;
}

/** SampleFrames + decode of exactly the sampled frames, each resized on arrival. */
export async function decodeProtocolFrames(input: ProtocolDecodeInput): Promise<ProtocolFrames> {
  const totalFrames = await countFrames(input);
  if (totalFrames < 1) {
    throw new ActionLensError('AL_ERR_DECODE_FAILED', `No frames could be decoded from ${input.videoPath}.`, {
      hint: 'Check that the file plays in a video player; re-encode it with ffmpeg if it does not.',
    });
  }
  const frameIndices = sampleFrames({ totalFrames, ...input.geometry.sampling, avgFps: null });
  const resized = new Map<number, ImageU8>();
  const stream = decodeFrames(input.videoPath, {
    geometry: { kind: 'native' }, // resize in TS: cv2-exact, as MMAction2's Resize
    selectFrames: frameIndices,
    queueFrames: input.queueFrames,
    tools: { ffmpeg: input.ffmpeg },
    signal: input.signal,
    logger: input.logger,
  });
  for await (const frame of stream) resized.set(frame.index, resizeFrame(frame, input.geometry));
  const missing = frameIndices.filter((i) => !resized.has(i));
  if (missing.length > 0) {
    throw new ActionLensError('AL_ERR_DECODE_FAILED', `${input.videoPath}: frame(s) ${[...new Set(missing)].slice(0, 5).join(', ')} of ${totalFrames} could not be decoded (the file holds fewer frames than its header says).`, {
      hint: 'Re-encode the video (ffmpeg -i in.mp4 out.mp4) so its frame count is right.',
    });
  }
  return { totalFrames, frameIndices, frames: frameIndices.map((i) => resized.get(i)!) };
}

/**
 * The model input in chunks of at most `viewsPerRun` views, each [v, ...viewShape]; concatenated
 * they are MMAction2's normalised input tensor (views crop-major, then clip).
 */
export function* protocolInputChunks(frames: readonly ImageU8[], geometry: ClipGeometry, viewsPerRun = DEFAULT_VIEWS_PER_RUN): Generator<TensorData> {
  if (!Number.isInteger(viewsPerRun) || viewsPerRun < 1) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `'viewsPerRun' must be an integer >= 1, got ${viewsPerRun}`);
  }
  const crops = cropViews(frames, geometry); // crop-major: views are consecutive runs of framesPerView
  const perView = geometry.framesPerView;
  for (let first = 0; first < crops.length; first += viewsPerRun * perView) {
    yield formatViews(crops.slice(first, first + viewsPerRun * perView), geometry);
  }
}

export interface ProtocolRunInput extends ProtocolDecodeInput {
  session: Pick<InferenceSession, 'run'>;
  numClasses: number;
  viewAverage: ViewAverage;
  viewsPerRun?: number;
}

export interface ProtocolResult {
  /** average_clip's output: probabilities ('prob') or mean raw scores ('score'). */
  averaged: Float32Array;
  /** For display: averaged, with a softmax for 'score'. */
  probs: Float32Array;
  views: number;
  totalFrames: number;
  frameIndices: number[];
  timings: { decode_ms: number; transform_ms: number; infer_ms: number; postprocess_ms: number };
}

/** Runs `input` [V, ...] in the session; checks the output is [V, numClasses]. */
export async function runViews(session: Pick<InferenceSession, 'run'>, input: TensorData, numClasses: number): Promise<Float32Array> {
  const views = input.dims[0]!;
  const out = await session.run({ input });
  const logits = out.logits;
  if (!logits || logits.type !== 'float32' || logits.data.length !== views * numClasses) {
    const got = logits ? `${logits.type} [${logits.dims.join(', ')}]` : `no 'logits' output (outputs: ${Object.keys(out).join(', ')})`;
    throw new ActionLensError('AL_ERR_BAD_MODEL_OUTPUT', `Unexpected output from the model: ${got}; expected float32 [${views}, ${numClasses}].`, {
      hint: 'Check num_classes in the model spec and that the ONNX has an output named logits.',
    });
  }
  return logits.data as Float32Array;
}

export async function runClipProtocol(input: ProtocolRunInput): Promise<ProtocolResult> {
  const timings = { decode_ms: 0, transform_ms: 0, infer_ms: 0, postprocess_ms: 0 };
  const d0 = performance.now();
  const { totalFrames, frameIndices, frames } = await decodeProtocolFrames(input);
  timings.decode_ms = performance.now() - d0;

  const rows: Float32Array[] = [];
  const chunks = protocolInputChunks(frames, input.geometry, input.viewsPerRun);
  for (;;) {
    throwIfAborted(input.signal);
    const t0 = performance.now();
    const next = chunks.next();
    timings.transform_ms += performance.now() - t0;
    if (next.done) break;
    const i0 = performance.now();
    rows.push(await runViews(input.session, next.value, input.numClasses));
    timings.infer_ms += performance.now() - i0;
  }
  const p0 = performance.now();
  const logits = new Float32Array(rows.reduce((n, r) => n + r.length, 0)); // [V, classes]
  rows.reduce((offset, r) => (logits.set(r, offset), offset + r.length), 0);
  const averaged = averageViews(logits, input.numClasses, input.viewAverage);
  const probs = viewAverageToProbs(averaged, input.viewAverage);
  timings.postprocess_ms = performance.now() - p0;
  return { averaged, probs, views: logits.length / input.numClasses, totalFrames, frameIndices, timings };
}
