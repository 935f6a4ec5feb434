// MMAction2 `Resize(scale=(-1, S), keep_ratio=True)`: scale so the short side is S, keep the aspect.
// Size rule of mmcv.rescale_size: factor = min(long / max(w, h), short / min(w, h)) in float64
// (-1 counts as infinity), each side int(side * factor + 0.5).
// Contract: in = frames of one size; out = frames at the new size, bilinear as cv2 INTER_LINEAR.
import { ActionLensError } from '../errors.js';
import type { ImageU8 } from './image.js';
import { resizeBilinear } from './resize-bilinear.js';

export interface Size {
  width: number;
  height: number;
}

/** New size for `Resize(scale, keep_ratio=True)`; `scale` is the config's pair, -1 = unbounded. */
export function keepRatioSize(width: number, height: number, scale: readonly [number, number]): Size {
  const edges = scale.map((v) => (v === -1 ? Infinity : v));
  if (!edges.every((v) => v === Infinity || (Number.isInteger(v) && v >= 1)) || edges.every((v) => v === Infinity)) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `Resize: scale must be [-1, S], [S, -1] or [W, H] with positive integers, got ${JSON.stringify(scale)}`, {
      hint: "Use scale: [-1, S] with S the model's short side (e.g. 256).",
    });
  }
  const factor = Math.min(Math.max(...edges) / Math.max(width, height), Math.min(...edges) / Math.min(width, height));
  return { width: Math.trunc(width * factor + 0.5), height: Math.trunc(height * factor + 0.5) };
}

export function shortSideSize(width: number, height: number, shortSide: number): Size {
  return keepRatioSize(width, height, [-1, shortSide]);
}

/** Resize every frame to short side `shortSide`, keeping each frame's aspect ratio. */
export function resizeShortSide(frames: readonly ImageU8[], shortSide: number): ImageU8[] {
  return frames.map((frame) => {
    const size = shortSideSize(frame.width, frame.height, shortSide);
    return resizeBilinear(frame, size.width, size.height);
  });
}
