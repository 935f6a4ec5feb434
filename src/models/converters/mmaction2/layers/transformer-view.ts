// The clip shape a 3D transformer recognizer is built for, checked against what its fixed-size
// parameters (position embeddings, time embeddings) allow.
import { ActionLensError } from '../../../../core/errors.js';

export interface ClipShape {
  channels: number;
  frames: number;
  height: number;
  width: number;
}

/** viewShape [C, T, H, W] of a Recognizer3D view. */
export function clipShape(viewShape: readonly number[], family: string): ClipShape {
  if (viewShape.length !== 4 || !viewShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${family}: viewShape = [${viewShape.join(', ')}] must be [channels, frames, height, width] with positive integers.`, {
      hint: 'Recognizer3D models take one clip per view: pass viewShape [3, T, H, W].',
    });
  }
  const [channels, frames, height, width] = viewShape as [number, number, number, number];
  return { channels, frames, height, width };
}

/** Throws when a clip dimension differs from the one the model's parameters were built for. */
export function requireClipDim(family: string, what: string, got: number, expected: number, why: string): void {
  if (got === expected) return;
  throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${family}: viewShape ${what} = ${got}, but this model needs ${expected} (${why}).`, {
    hint: `Build the model with ${what} ${expected}, as its config's test pipeline samples it.`,
  });
}

/** A size, stride or window per axis (t/d, h, w). */
export type Axes3 = readonly [number, number, number];

/** Builds an Axes3 from a function of the axis index. */
export function perAxis(f: (axis: 0 | 1 | 2) => number): Axes3 {
  return [f(0), f(1), f(2)];
}
