// MMAction2 `ThreeCrop(crop_size)`: three crops along the long side (left/top, right/bottom, middle).
// The crop must span the full height or the full width; when it spans the height the crops move
// along the width, even for a square frame (then all three are the same box).
import { ActionLensError } from '../errors.js';
import type { CropBox, CropView, ImageU8 } from './image.js';
import { checkCropFits, commonSize, cropSizePair, type CropSizeSpec, viewsForBoxes } from './crop-box.js';

export function threeCropBoxes(width: number, height: number, cropSize: CropSizeSpec): CropBox[] {
  const [cw, ch] = cropSizePair(cropSize);
  checkCropFits('ThreeCrop', cw, ch, width, height);
  if (ch === height) {
    const step = Math.floor((width - cw) / 2);
    return [0, 2 * step, step].map((x): CropBox => [x, 0, x + cw, ch]);
  }
  if (cw === width) {
    const step = Math.floor((height - ch) / 2);
    return [0, 2 * step, step].map((y): CropBox => [0, y, cw, y + ch]);
  }
  throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `ThreeCrop: crop ${cw}x${ch} must match the frame's width or height (${width}x${height})`, {
    hint: 'Resize the short side to the crop size first, e.g. Resize(-1, 256) then ThreeCrop(256).',
  });
}

/** 3 x frames views: all frames of the first crop, then the second, then the middle one. */
export function threeCrop(frames: readonly ImageU8[], cropSize: CropSizeSpec): CropView[] {
  const { width, height } = commonSize(frames, 'ThreeCrop');
  return viewsForBoxes(frames, threeCropBoxes(width, height, cropSize));
}
