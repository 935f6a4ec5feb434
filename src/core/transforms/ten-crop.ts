// MMAction2 `TenCrop(crop_size)`: four corners and the centre, each also mirrored left-right.
// Steps are (w - cw) // 4 and (h - ch) // 4, so "corners" sit at 4 * step (not always flush).
import type { CropBox, CropView, ImageU8 } from './image.js';
import { checkCropFits, commonSize, cropSizePair, type CropSizeSpec, viewsForBoxes } from './crop-box.js';

/** The five boxes in MMAction2's order: upper-left, upper-right, lower-left, lower-right, centre. */
export function tenCropBoxes(width: number, height: number, cropSize: CropSizeSpec): CropBox[] {
  const [cw, ch] = cropSizePair(cropSize);
  checkCropFits('TenCrop', cw, ch, width, height);
  const ws = Math.floor((width - cw) / 4);
  const hs = Math.floor((height - ch) / 4);
  const offsets: [number, number][] = [[0, 0], [4 * ws, 0], [0, 4 * hs], [4 * ws, 4 * hs], [2 * ws, 2 * hs]];
  return offsets.map(([x, y]): CropBox => [x, y, x + cw, y + ch]);
}

/** 10 x frames views: for each box, all frames unflipped, then the same frames flipped. */
export function tenCrop(frames: readonly ImageU8[], cropSize: CropSizeSpec): CropView[] {
  const { width, height } = commonSize(frames, 'TenCrop');
  return tenCropBoxes(width, height, cropSize).flatMap((box) => [
    ...viewsForBoxes(frames, [box]),
    ...viewsForBoxes(frames, [box], true),
  ]);
}
