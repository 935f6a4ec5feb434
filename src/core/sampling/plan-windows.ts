// Timeline mode: slide the model's clip geometry over the whole video instead of MMAction2's
// fixed numClips test protocol. Each window is one model input; its scores land at [tStartSec, tEndSec].
// Contract: in = frame count + fps + clip geometry; out = windows in time order, each with clipLen
// frame indices in [0, totalFrames) and the time span it covers.
import { ActionLensError } from '../errors.js';
import type { OutOfBoundOpt } from './sample-frames.js';
import { clipFrameOffsets } from './sample-frames.js';

export interface WindowPlanOptions {
  totalFrames: number;
  /** Average fps of the video; turns frame positions into seconds. */
  fps: number;
  clipLen: number;
  frameInterval: number;
  /** Source frames between window starts. Default: the window span (windows touch, no overlap). */
  strideFrames?: number;
  /** X3D-style geometry: the span is scaled by fps / targetFps, like SampleFrames with a known avg fps. */
  targetFps?: number | null;
  /** For videos shorter than one window. Default 'loop', as SampleFrames. */
  outOfBoundOpt?: OutOfBoundOpt;
}

export interface Window {
  /** 0-based position in the plan. */
  index: number;
  /** First source frame the window covers. */
  startFrame: number;
  /** clipLen source frame indices, in order. */
  frameIndices: number[];
  tStartSec: number;
  /** End of the covered span (exclusive), capped at the video's end. */
  tEndSec: number;
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `planWindows: '${name}' must be an integer >= 1, got ${value}`, {
      hint: 'Check the timeline settings (stride) and the model clip geometry (clip_len, frame_interval).',
    });
  }
}

/** Source frames one window spans: clipLen * frameInterval, rescaled when targetFps applies. */
export function windowSpanFrames(o: Pick<WindowPlanOptions, 'fps' | 'clipLen' | 'frameInterval' | 'targetFps'>): number {
  const ratio = o.targetFps ? o.fps / o.targetFps : 1;
  return Math.max(1, Math.round(o.clipLen * o.frameInterval * ratio));
}

export function planWindows(o: WindowPlanOptions): Window[] {
  positiveInteger('totalFrames', o.totalFrames);
  positiveInteger('clipLen', o.clipLen);
  positiveInteger('frameInterval', o.frameInterval);
  if (!(o.fps > 0) || !Number.isFinite(o.fps)) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `planWindows: 'fps' must be a finite number > 0, got ${o.fps}`, {
      hint: 'The probe could not read the frame rate; pass one explicitly.',
    });
  }
  const span = windowSpanFrames(o);
  const stride = o.strideFrames ?? span;
  positiveInteger('strideFrames', stride);
  const n = o.totalFrames;
  const offsets = clipFrameOffsets({ ...o, avgFps: o.fps });

  const starts: number[] = [];
  for (let s = 0; s + span <= n; s += stride) starts.push(s);
  // Cover the tail: one last window that ends on the last frame (or the only one, for short videos).
  const tailStart = Math.max(0, n - span);
  if (starts.length === 0 || starts[starts.length - 1]! < tailStart) starts.push(tailStart);

  return starts.map((startFrame, index) => {
    const raw = offsets.map((f) => startFrame + f);
    const lastInRange = raw.reduce((m, i) => (i < n ? Math.max(m, i) : m), 0);
    const frameIndices = raw.map((i) => (i < n ? i : (o.outOfBoundOpt ?? 'loop') === 'loop' ? i % n : lastInRange));
    return { index, startFrame, frameIndices, tStartSec: startFrame / o.fps, tEndSec: Math.min(startFrame + span, n) / o.fps };
  });
}
