// MMAction2's SampleFrames in test mode (mmaction/datasets/transforms/loading.py), as a pure function.
// Contract: in = total frame count (+ average fps when the decoder knows it); out = 0-based frame
// indices, clip-major, numClips * clipLen of them (twice that with twiceSample), every index in
// [0, totalFrames). The arithmetic follows numpy's float64 rules exactly; see numpy-math.ts.
import { ActionLensError } from '../errors.js';
import { floorMod, linspaceTruncated, roundHalfEven } from './numpy-math.js';

export type OutOfBoundOpt = 'loop' | 'repeat_last';

export interface SampleFramesOptions {
  totalFrames: number;
  /** Frames per clip (1 = a 2D / segment model such as TSN or TSM). */
  clipLen: number;
  /** Step between frames of a clip, in source frames. */
  frameInterval: number;
  numClips: number;
  /** TSM-style: also take the segment starts (2D) or twice the clips (3D). Default false. */
  twiceSample?: boolean;
  /** What to do with indices past the end. Default 'loop' (index mod totalFrames). */
  outOfBoundOpt?: OutOfBoundOpt;
  /** X3D-style: the fps the clip geometry was designed for. Only acts when avgFps is known. */
  targetFps?: number | null;
  /** The video's average fps (Decord provides it; OpenCV/PyAV inits in MMAction2 do not). */
  avgFps?: number | null;
  /** Only changes training-mode sampling in MMAction2; accepted so configs pass through unchanged. */
  keepTailFrames?: boolean;
}

/** Source frames one clip spans: `ori_clip_len` in MMAction2 (a float when targetFps applies). */
export function clipSpanFrames(o: Pick<SampleFramesOptions, 'clipLen' | 'frameInterval' | 'targetFps' | 'avgFps'>): number {
  if (o.targetFps != null) {
    const fpsScaleRatio = o.avgFps ? o.avgFps / o.targetFps : 1;
    return Math.max(1, o.clipLen * o.frameInterval * fpsScaleRatio);
  }
  return (o.clipLen - 1) * o.frameInterval + 1; // test mode
}

/** Offsets of each frame inside a clip, relative to the clip start. */
export function clipFrameOffsets(o: Pick<SampleFramesOptions, 'clipLen' | 'frameInterval' | 'targetFps' | 'avgFps'>): number[] {
  if (o.targetFps) return linspaceTruncated(0, clipSpanFrames(o) - 1, o.clipLen);
  return Array.from({ length: o.clipLen }, (_, j) => j * o.frameInterval);
}

function testClipOffsets(o: SampleFramesOptions, span: number): number[] {
  const { totalFrames: n, numClips, twiceSample = false } = o;
  if (o.clipLen === 1) {
    // 2D: one frame from the middle of each of numClips equal segments.
    const avgInterval = n / numClips;
    const base = Array.from({ length: numClips }, (_, k) => k * avgInterval);
    const centred = base.map((b) => b + avgInterval / 2);
    return twiceSample ? [...centred, ...base] : centred;
  }
  const maxOffset = Math.max(n - span, 0);
  const clips = twiceSample ? numClips * 2 : numClips;
  if (clips === 1) return [Math.floor(maxOffset / 2)];
  // MMAction2 divides by numClips - 1 even when twiceSample doubles the clip count.
  const segments = numClips - 1;
  if (o.targetFps != null) {
    const between = Math.floor(maxOffset / segments); // PySlowFast alignment
    return Array.from({ length: clips }, (_, k) => k * between);
  }
  const between = maxOffset / segments;
  return Array.from({ length: clips }, (_, k) => roundHalfEven(k * between));
}

function checkOptions(o: SampleFramesOptions): void {
  const positiveInt = (name: string, v: number): void => {
    if (!Number.isInteger(v) || v < 1) {
      throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `SampleFrames: '${name}' must be an integer >= 1, got ${v}`, {
        hint: 'Check the model spec / config sampling settings (clip_len, frame_interval, num_clips) and the probed frame count.',
      });
    }
  };
  positiveInt('totalFrames', o.totalFrames);
  positiveInt('clipLen', o.clipLen);
  positiveInt('frameInterval', o.frameInterval);
  positiveInt('numClips', o.numClips);
  if (o.outOfBoundOpt !== undefined && o.outOfBoundOpt !== 'loop' && o.outOfBoundOpt !== 'repeat_last') {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `SampleFrames: 'outOfBoundOpt' is '${String(o.outOfBoundOpt)}', allowed: 'loop', 'repeat_last'`);
  }
  if (o.targetFps != null && !(o.targetFps > 0)) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `SampleFrames: 'targetFps' must be > 0 or null, got ${o.targetFps}`);
  }
  if (o.clipLen > 1 && o.numClips === 1 && o.twiceSample) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', "SampleFrames: 'twiceSample' needs numClips >= 2 for clips longer than one frame (MMAction2 divides by numClips - 1)");
  }
}

/** Frame indices SampleFrames(test_mode=True) picks for a video of `totalFrames` frames. */
export function sampleFrames(o: SampleFramesOptions): number[] {
  checkOptions(o);
  const span = clipSpanFrames(o);
  const frameOffsets = clipFrameOffsets(o);
  const n = o.totalFrames;
  const out: number[] = [];
  for (const clipStart of testClipOffsets(o, span)) {
    const clip = frameOffsets.map((f) => clipStart + f); // float64, as numpy keeps them until the end
    if ((o.outOfBoundOpt ?? 'loop') === 'loop') {
      for (const i of clip) out.push(Math.trunc(floorMod(i, n)));
    } else {
      // repeat_last: past-the-end indices become the clip's last in-range index (0 if none).
      const lastInRange = clip.reduce((m, i) => (i < n ? Math.max(m, i) : m), 0);
      for (const i of clip) out.push(Math.trunc(i < n ? i : lastInRange));
    }
  }
  return out;
}
