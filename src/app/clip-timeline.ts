// Timeline mode for a clip model: the model's clip geometry slides over the whole video (planWindows),
// one center-crop view per window, each window's probabilities land at its centre in the same
// timeline builder the stream path uses. Frames are decoded once, in order, and kept only until the
// last window that needs them has been sent: memory stays flat however long the video is.
import { ActionLensError, throwIfAborted } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { softmax, type TimelineBuilder } from '../core/postprocess/index.js';
import { planWindows, type Window } from '../core/sampling/index.js';
import type { CropView } from '../core/transforms/index.js';
import type { VideoInfo } from '../core/video-types.js';
import type { InferenceSession } from '../runtime/session.js';
import { decodeFrames } from '../video/index.js';
import { cropViews, formatViews, resizeFrame, type ClipGeometry } from './clip-input.js';
import { runViews } from './clip-protocol.js';

export interface TimelineWindowPlanInput {
  geometry: ClipGeometry;
  totalFrames: number;
  fps: number;
  /** Seconds a segment model's window spreads its segments over (the timeline's window_sec). */
  segmentWindowSec: number;
  /** Source frames between window starts; default: the window span (windows touch). */
  strideFrames?: number;
}

/**
 * The windows of the timeline. 3D clips keep their clip_len x frame_interval geometry (rescaled by
 * fps / target_fps for X3D). A 2D segment model has no clip span of its own (MMAction2 spreads its
 * segments over the whole video), so its window is its segments spread evenly over segmentWindowSec.
 */
export function planTimelineWindows(o: TimelineWindowPlanInput): Window[] {
  const { sampling } = o.geometry;
  const segments = o.geometry.layout === 'NCHW-segments';
  const frameInterval = segments ? Math.max(1, Math.round((o.segmentWindowSec * o.fps) / sampling.numClips)) : sampling.frameInterval;
  return planWindows({
    totalFrames: o.totalFrames,
    fps: o.fps,
    clipLen: segments ? sampling.numClips : sampling.clipLen,
    frameInterval,
    strideFrames: o.strideFrames,
    targetFps: segments ? null : sampling.targetFps,
    outOfBoundOpt: sampling.outOfBoundOpt,
  });
}

export interface ClipTimelineInput {
  videoPath: string;
  info: VideoInfo;
  totalFrames: number;
  geometry: ClipGeometry;
  numClasses: number;
  session: Pick<InferenceSession, 'run'>;
  builder: TimelineBuilder;
  segmentWindowSec: number;
  strideFrames?: number;
  ffmpeg: string;
  queueFrames?: number;
  logger?: Logger;
  signal?: AbortSignal;
  /** After each scored window: its centre time, windows so far, its probabilities. */
  onWindow?: (tSec: number, windows: number, probs: Float32Array) => void;
}

export interface ClipTimelineOutput {
  windows: number;
  /** Most decoded frames held at once (the ring's high-water mark). */
  peakFramesHeld: number;
  timings: { decode_ms: number; transform_ms: number; infer_ms: number; postprocess_ms: number };
}

export async function analyzeClipTimeline(input: ClipTimelineInput): Promise<ClipTimelineOutput> {
  const { geometry } = input;
  const fps = input.info.fps;
  const windows = planTimelineWindows({ geometry, totalFrames: input.totalFrames, fps, segmentWindowSec: input.segmentWindowSec, strideFrames: input.strideFrames });
  // keepFrom[w]: the lowest frame index window w or any later one reads; frames below it can go.
  const keepFrom = new Array<number>(windows.length + 1).fill(Number.POSITIVE_INFINITY);
  for (let w = windows.length - 1; w >= 0; w--) keepFrom[w] = Math.min(keepFrom[w + 1]!, ...windows[w]!.frameIndices);
  const lastNeeded = windows.map((w) => Math.max(...w.frameIndices));

  const timings = { decode_ms: 0, transform_ms: 0, infer_ms: 0, postprocess_ms: 0 };
  const held = new Map<number, CropView>(); // frame index -> its center crop (of the resized frame)
  let peakFramesHeld = 0;
  let next = 0; // next window to send
  let done = 0;
  let inFlight: { window: Window; logits: Promise<Float32Array>; sentAt: number } | undefined;

  const settle = async () => {
    if (!inFlight) return;
    const logits = await inFlight.logits;
    timings.infer_ms += performance.now() - inFlight.sentAt;
    const p0 = performance.now();
    const probs = softmax(logits); // one view: [numClasses]
    const tSec = (inFlight.window.tStartSec + inFlight.window.tEndSec) / 2;
    input.builder.push(tSec, probs);
    timings.postprocess_ms += performance.now() - p0;
    done++;
    input.onWindow?.(tSec, done, probs);
    inFlight = undefined;
  };

  const sendReady = async (highestDecoded: number) => {
    while (next < windows.length && lastNeeded[next]! <= highestDecoded) {
      const window = windows[next]!;
      const t0 = performance.now();
      const tensor = formatViews(window.frameIndices.map((i) => held.get(i)!), geometry); // [1, ...viewShape]
      timings.transform_ms += performance.now() - t0;
      await settle(); // one window in flight: the next is decoded and cropped while the model runs
      inFlight = { window, logits: runViews(input.session, tensor, input.numClasses), sentAt: performance.now() };
      next++;
      for (const i of held.keys()) if (i < keepFrom[next]!) held.delete(i);
    }
  };

  const wanted = windows.flatMap((w) => w.frameIndices);
  const frames = decodeFrames(input.videoPath, {
    geometry: { kind: 'native' },
    selectFrames: wanted,
    queueFrames: input.queueFrames,
    tools: { ffmpeg: input.ffmpeg },
    signal: input.signal,
    logger: input.logger,
  });
  const iterator = frames[Symbol.asyncIterator]();
  let highest = -1;
  try {
    for (;;) {
      const d0 = performance.now();
      const item = await iterator.next();
      timings.decode_ms += performance.now() - d0;
      if (item.done) break;
      throwIfAborted(input.signal);
      const t0 = performance.now();
      held.set(item.value.index, cropViews([resizeFrame(item.value, geometry)], geometry, 'center')[0]!);
      timings.transform_ms += performance.now() - t0;
      peakFramesHeld = Math.max(peakFramesHeld, held.size);
      highest = item.value.index;
      await sendReady(highest);
    }
    await settle();
  } finally {
    await iterator.return?.();
    await inFlight?.logits.catch(() => undefined);
  }
  if (next < windows.length) {
    throw new ActionLensError('AL_ERR_DECODE_FAILED', `${input.videoPath}: decoding stopped at frame ${highest} of ${input.totalFrames}; ${windows.length - next} timeline window(s) could not be filled.`, {
      hint: 'The file is probably truncated; re-encode it (ffmpeg -i in.mp4 out.mp4).',
    });
  }
  return { windows: done, peakFramesHeld, timings };
}
