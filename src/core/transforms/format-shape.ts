// MMAction2 `FormatShape` + the data preprocessor in one pass: crop views (uint8, HWC) -> one
// normalised float32 tensor. NCHW: one image per view (TSN/TSM segments). NCTHW: consecutive runs of
// clipLen views form one clip (views arrive crop-major, then clip, then frame).
import { ActionLensError } from '../errors.js';
import type { TensorData } from '../tensor.js';
import { channelSources, type ChannelOrder } from './channel-order.js';
import type { CropView } from './image.js';
import { normalizationTable, type NormalizeSpec } from './normalize.js';

export type InputFormat = 'NCHW' | 'NCTHW';

export interface FormatShapeOptions {
  inputFormat: InputFormat;
  /** Frames per clip; required for NCTHW. */
  clipLen?: number;
  normalize: NormalizeSpec;
  /** Channel order the model wants. Default 'RGB'. */
  channelOrder?: ChannelOrder;
}

/** Dims of the formatted tensor for `viewCount` views of cropW x cropH. */
export function formattedDims(viewCount: number, width: number, height: number, o: Pick<FormatShapeOptions, 'inputFormat' | 'clipLen'>): number[] {
  if (o.inputFormat === 'NCHW') return [viewCount, 3, height, width]; // [N, C, H, W]
  if (o.inputFormat !== 'NCTHW') {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `FormatShape: input_format is '${String(o.inputFormat)}', allowed: 'NCHW', 'NCTHW'`);
  }
  const t = o.clipLen ?? 0;
  if (!Number.isInteger(t) || t < 1 || viewCount % t !== 0) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `FormatShape: NCTHW needs clipLen >= 1 dividing the ${viewCount} views, got ${o.clipLen}`);
  }
  return [viewCount / t, 3, t, height, width]; // [N, C, T, H, W]
}

export function formatShape(views: readonly CropView[], o: FormatShapeOptions): TensorData {
  if (views.length === 0) throw new ActionLensError('AL_ERR_INVALID_SETTINGS', 'FormatShape: no views to format');
  const [x1, y1, x2, y2] = views[0]!.box;
  const w = x2 - x1;
  const h = y2 - y1;
  const odd = views.find((v) => v.box[2] - v.box[0] !== w || v.box[3] - v.box[1] !== h);
  if (odd) throw new ActionLensError('AL_ERR_INTERNAL', `FormatShape: views differ in size (${w}x${h} and ${odd.box[2] - odd.box[0]}x${odd.box[3] - odd.box[1]})`);

  const dims = formattedDims(views.length, w, h, o);
  const t = o.inputFormat === 'NCTHW' ? dims[2]! : 1;
  const table = normalizationTable(o.normalize);
  const sources = channelSources(o.channelOrder ?? 'RGB');
  const plane = w * h;
  const out = new Float32Array(views.length * 3 * plane);

  // mean/std are given in the model's channel order; sources maps each output channel to its input.
  const [src0, src1, src2] = sources;
  views.forEach((view, m) => {
    const clip = Math.floor(m / t);
    const frame = m % t;
    const [vx1, vy1, vx2] = view.box;
    const src = view.image.data;
    const stride = view.image.width * 3;
    const plane0 = ((clip * 3) * t + frame) * plane; // NCHW is the t = 1 case
    const planeStep = t * plane; // from one channel plane of this frame to the next
    for (let y = 0; y < h; y++) {
      const row = (vy1 + y) * stride;
      const o = plane0 + y * w;
      for (let x = 0; x < w; x++) {
        const p = row + (view.flipped ? vx2 - 1 - x : vx1 + x) * 3;
        out[o + x] = table[src[p + src0]!]!;
        out[o + planeStep + x] = table[256 + src[p + src1]!]!;
        out[o + 2 * planeStep + x] = table[512 + src[p + src2]!]!;
      }
    }
  });
  return { type: 'float32', dims, data: out };
}
