import { ActionLensError } from '../errors.js';
import { windowIndexOf } from './window-index.js';

/** The mean of the frames scored in one window. */
export interface WindowMean {
  /** Window number k: the window covers [k * windowSec, (k + 1) * windowSec). */
  index: number;
  /** How many frames were averaged. */
  frames: number;
  /** [numClasses] mean probability of those frames. */
  mean: Float32Array;
}

export interface WindowAccumulator {
  /** Adds one scored frame. Frames usually arrive in time order; a late frame is still counted. */
  push(tSec: number, probs: Float32Array): void;
  /** The windows that received at least one frame, in time order. Does not end accumulation. */
  windows(): WindowMean[];
  /** How many per-window arrays are held: one per window with frames (the running sum is one more, fixed). */
  storedArrays(): number;
}

/**
 * Averages frame probabilities per window without keeping frames: memory is one Float32Array per
 * window (plus one float64 running sum for the window being filled), whatever the frame rate.
 *
 * The open window sums in float64; when time moves on, its mean is sealed into a Float32Array.
 * A frame that arrives for an already sealed window updates its mean incrementally.
 */
export function createWindowAccumulator(windowSec: number, numClasses: number): WindowAccumulator {
  if (!(windowSec > 0) || !Number.isFinite(windowSec)) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `window_sec: expected a number > 0, got ${windowSec}.`);
  }
  const sealed = new Map<number, { frames: number; mean: Float32Array }>();
  const openSum = new Float64Array(numClasses);
  let openIndex = -1;
  let openFrames = 0;

  function sealOpen(): void {
    if (openFrames === 0) return;
    const mean = new Float32Array(numClasses);
    for (let c = 0; c < numClasses; c++) mean[c] = openSum[c] / openFrames;
    sealed.set(openIndex, { frames: openFrames, mean });
    openSum.fill(0);
    openFrames = 0;
    openIndex = -1;
  }

  function addToSealed(slot: { frames: number; mean: Float32Array }, probs: Float32Array): void {
    const n = slot.frames + 1;
    for (let c = 0; c < numClasses; c++) slot.mean[c] += (probs[c] - slot.mean[c]) / n;
    slot.frames = n;
  }

  return {
    push(tSec, probs) {
      if (!(tSec >= 0) || !Number.isFinite(tSec)) {
        throw new ActionLensError('AL_ERR_INTERNAL', `window accumulator: tSec must be a finite time >= 0, got ${tSec}.`);
      }
      if (probs.length !== numClasses) {
        throw new ActionLensError(
          'AL_ERR_BAD_MODEL_OUTPUT',
          `window accumulator: expected ${numClasses} class scores per frame, got ${probs.length}.`,
        );
      }
      const k = windowIndexOf(tSec, windowSec);
      if (k !== openIndex) {
        const late = sealed.get(k);
        if (late) return addToSealed(late, probs);
        sealOpen();
        openIndex = k;
      }
      for (let c = 0; c < numClasses; c++) openSum[c] += probs[c];
      openFrames++;
    },
    windows() {
      sealOpen();
      return [...sealed.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([index, slot]) => ({ index, frames: slot.frames, mean: slot.mean }));
    },
    storedArrays() {
      return sealed.size + (openFrames > 0 ? 1 : 0);
    },
  };
}
