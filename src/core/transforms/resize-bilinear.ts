// Bilinear resize of packed 3-channel uint8 images, reproducing OpenCV 4.x `cv2.resize(img, (w, h),
// interpolation=INTER_LINEAR)` (mmcv.imresize's default backend) bit for bit:
//  - source coordinate fx = float32((dx + 0.5) * (1 / (dstW / srcW)) - 0.5); columns past an edge
//    read the edge pixel with weight 1, rows past an edge read the clamped row with both weights;
//  - weights in 11-bit fixed point: round-half-even(float32(1 - frac) * 2048), round(frac * 2048);
//  - horizontal pass in int32 (exact), vertical pass with OpenCV's SIMD arithmetic
//    (VResizeLinearVec_32s8u: ((a >> 4) * b) >> 16 per source row, summed, then (+2) >> 2), not the
//    exact scalar formula (a*b0 + c*b1 + 2^21) >> 22, which differs by 1 on some pixels.
// Checked against MMAction2's recorded resized frames (OpenCV 4.6, x86-64): the SIMD arithmetic
// over the whole row, tail included, is bit-exact on all 9 resizes in the fixtures (5 clips x short
// side 256 / 182, minus one no-op), up- and downscaling; the scalar formula is not.
import { ActionLensError } from '../errors.js';
import { roundHalfEven as rint } from '../sampling/numpy-math.js'; // cvRound: lrintf, half to even
import type { ImageU8 } from './image.js';

const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS; // 2048

interface AxisTaps {
  /** First source index of each output position (already clamped). */
  index0: Int32Array;
  /** Second source index (equals index0 at the edges). */
  index1: Int32Array;
  weight0: Int32Array;
  weight1: Int32Array;
}

/**
 * Per-output-position taps along one axis, as cv::resize computes them for INTER_LINEAR.
 * Columns past an edge get weights (2048, 0); rows past an edge keep their fractional weights and
 * read the clamped row twice (OpenCV clamps only the row index, which matters for the SIMD rounding).
 */
function axisTaps(srcSize: number, dstSize: number, resetWeightsAtEdges: boolean): AxisTaps {
  const scale = 1 / (dstSize / srcSize); // OpenCV: scale = 1. / inv_scale, inv_scale = dst / src
  const taps: AxisTaps = {
    index0: new Int32Array(dstSize),
    index1: new Int32Array(dstSize),
    weight0: new Int32Array(dstSize),
    weight1: new Int32Array(dstSize),
  };
  for (let d = 0; d < dstSize; d++) {
    let f = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = Math.fround(f - s);
    if (resetWeightsAtEdges && s < 0) {
      s = 0;
      f = 0;
    }
    if (resetWeightsAtEdges && s >= srcSize - 1) {
      s = srcSize - 1;
      f = 0;
    }
    taps.index0[d] = Math.min(Math.max(s, 0), srcSize - 1);
    taps.index1[d] = Math.min(Math.max(s + 1, 0), srcSize - 1);
    taps.weight0[d] = rint(Math.fround(1 - f) * COEF_SCALE);
    taps.weight1[d] = rint(f * COEF_SCALE);
  }
  return taps;
}

/** Horizontal pass of one source row into fixed-point int32 values (weights sum to 2048). */
function horizontalPass(src: Uint8Array, row: number, srcW: number, taps: AxisTaps, out: Int32Array): void {
  const base = row * srcW * 3;
  for (let dx = 0; dx < taps.index0.length; dx++) {
    const p0 = base + taps.index0[dx]! * 3;
    const p1 = base + taps.index1[dx]! * 3;
    const w0 = taps.weight0[dx]!;
    const w1 = taps.weight1[dx]!;
    const o = dx * 3;
    out[o] = src[p0]! * w0 + src[p1]! * w1;
    out[o + 1] = src[p0 + 1]! * w0 + src[p1 + 1]! * w1;
    out[o + 2] = src[p0 + 2]! * w0 + src[p1 + 2]! * w1;
  }
}

export function resizeBilinear(image: ImageU8, width: number, height: number): ImageU8 {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `resizeBilinear: '${name}' must be an integer >= 1, got ${v}`);
    }
  }
  if (image.data.length !== image.width * image.height * 3) {
    throw new ActionLensError('AL_ERR_INTERNAL', `resizeBilinear: image data has ${image.data.length} bytes, expected ${image.width}x${image.height}x3`);
  }
  // cv::resize copies when the size does not change.
  if (width === image.width && height === image.height) return { width, height, data: image.data.slice() };

  const xTaps = axisTaps(image.width, width, true);
  const yTaps = axisTaps(image.height, height, false);
  const rowLength = width * 3;
  const out = new Uint8Array(height * rowLength);

  // Horizontal results of the two source rows in use (output rows share them as OpenCV's ring does).
  const slots = [new Int32Array(rowLength), new Int32Array(rowLength)];
  const slotRows = [-1, -1];
  let nextSlot = 0;
  const horizontalRow = (row: number, keep: number): Int32Array => {
    if (slotRows[0] === row) return slots[0]!;
    if (slotRows[1] === row) return slots[1]!;
    const slot = slotRows[nextSlot] === keep ? 1 - nextSlot : nextSlot; // never evict the row still needed
    horizontalPass(image.data, row, image.width, xTaps, slots[slot]!);
    slotRows[slot] = row;
    nextSlot = 1 - slot;
    return slots[slot]!;
  };

  for (let dy = 0; dy < height; dy++) {
    const r0 = yTaps.index0[dy]!;
    const s0 = horizontalRow(r0, -1);
    const s1 = horizontalRow(yTaps.index1[dy]!, r0);
    const b0 = yTaps.weight0[dy]!;
    const b1 = yTaps.weight1[dy]!;
    const o = dy * rowLength;
    for (let x = 0; x < rowLength; x++) {
      // (s >> 4) * b < 2^31, so >> 16 is the arithmetic floor v_mul_hi takes.
      const v = ((((s0[x]! >> 4) * b0) >> 16) + (((s1[x]! >> 4) * b1) >> 16) + 2) >> 2;
      out[o + x] = v > 255 ? 255 : v; // never negative: all terms are >= 0
    }
  }
  return { width, height, data: out };
}
