// MMAction2 `CenterCrop(crop_size)`: one box per frame, offsets (w - cw) // 2, (h - ch) // 2.
import type { CropBox, CropView, ImageU8 } from './image.js';
import { checkCropFits, commonSize, cropSizePair, type CropSizeSpec, viewsForBoxes } from './crop-box.js';

export function centerCropBox(width: number, height: number, cropSize: CropSizeSpec): CropBox {
  const [cw, ch] = cropSizePair(cropSize);
  checkCropFits('CenterCrop', cw, ch, width, height);
  const x1 = Math.floor((width - cw) / 2);
  const y1 = Math.floor((height - ch) / 2);
  return [x1, y1, x1 + cw, y1 + ch];
}

/** One view per frame, in frame order. */
export function centerCrop(frames: readonly ImageU8[], cropSize: CropSizeSpec): CropView[] {
  const { width, height } = commonSize(frames, 'CenterCrop');
  return viewsForBoxes(frames, [centerCropBox(width, height, cropSize)]);
}
