// Crop sizes as configs write them (`crop_size: 224` or `[w, h]`) and the shared checks of the crop steps.
import { ActionLensError } from '../errors.js';
import type { CropBox, CropView, ImageU8 } from './image.js';

export type CropSizeSpec = number | readonly [width: number, height: number];

/** `crop_size` as [width, height] (MMAction2's `_pair`). */
export function cropSizePair(spec: CropSizeSpec): [number, number] {
  const pair: [number, number] = typeof spec === 'number' ? [spec, spec] : [spec[0], spec[1]];
  if (!pair.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `crop_size must be an integer >= 1 or [w, h] of them, got ${JSON.stringify(spec)}`);
  }
  return pair;
}

/** All frames fed to one crop step have one size (they come from one video and one resize). */
export function commonSize(frames: readonly ImageU8[], step: string): { width: number; height: number } {
  if (frames.length === 0) throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `${step}: no frames to crop`);
  const { width, height } = frames[0]!;
  const other = frames.find((f) => f.width !== width || f.height !== height);
  if (other) {
    throw new ActionLensError('AL_ERR_INTERNAL', `${step}: frames differ in size (${width}x${height} and ${other.width}x${other.height})`);
  }
  return { width, height };
}

export function checkCropFits(step: string, cropW: number, cropH: number, width: number, height: number): void {
  if (cropW > width || cropH > height) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `${step}: crop ${cropW}x${cropH} does not fit the ${width}x${height} frame`, {
      hint: 'Resize the short side to at least the crop size before cropping (Resize(-1, S) with S >= crop_size).',
    });
  }
}

/** One view per (box, frame), box-major: MMAction2's output image order for multi-crop steps. */
export function viewsForBoxes(frames: readonly ImageU8[], boxes: readonly CropBox[], flipped = false): CropView[] {
  return boxes.flatMap((box) => frames.map((image) => ({ image, box, flipped })));
}
