// Images the spatial transforms work on. Frames stay uint8 until the very last step: crops are
// views (a box + a flip flag) into a frame, so ThreeCrop / TenCrop copy nothing.

/** Packed RGB (or BGR) uint8, row-major, no padding: data is [height, width, 3]. */
export interface ImageU8 {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Crop rectangle in MMAction2's `crop_bbox` convention: [x1, y1, x2, y2], x2/y2 exclusive. */
export type CropBox = readonly [x1: number, y1: number, x2: number, y2: number];

/** One output image of a crop step: a box inside a frame, optionally mirrored left-right. */
export interface CropView {
  image: ImageU8;
  box: CropBox;
  flipped: boolean;
}

/** The whole frame as a view (what the format step sees when the pipeline has no crop). */
export function fullView(image: ImageU8): CropView {
  return { image, box: [0, 0, image.width, image.height], flipped: false };
}

/** Materialise a view as its own image (tests, debugging, exports); the pipeline never needs this. */
export function viewToImage(view: CropView): ImageU8 {
  const [x1, y1, x2, y2] = view.box;
  const width = x2 - x1;
  const height = y2 - y1;
  const src = view.image.data;
  const srcStride = view.image.width * 3;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = view.flipped ? x2 - 1 - x : x1 + x;
      const s = (y1 + y) * srcStride + sx * 3;
      const d = (y * width + x) * 3;
      data[d] = src[s]!;
      data[d + 1] = src[s + 1]!;
      data[d + 2] = src[s + 2]!;
    }
  }
  return { width, height, data };
}
