import { describe, expect, it } from 'vitest';
import { formatShape, formattedDims } from './format-shape.js';
import type { CropView, ImageU8 } from './image.js';

// Identity normalisation so tensor values are the raw uint8 values.
const identity = { mean: [0, 0, 0], std: [1, 1, 1] };

/** 2x1 frame whose pixel (x) has channels [100*id + 10*x + 0, +1, +2]. */
function frame(id: number): ImageU8 {
  const data = new Uint8Array(6);
  for (let x = 0; x < 2; x++) for (let c = 0; c < 3; c++) data[x * 3 + c] = 100 * id + 10 * x + c;
  return { width: 2, height: 1, data };
}
const view = (id: number, flipped = false): CropView => ({ image: frame(id), box: [0, 0, 2, 1], flipped });

describe('FormatShape + normalisation', () => {
  it('NCHW: one image per view, channel planes', () => {
    const t = formatShape([view(0), view(1)], { inputFormat: 'NCHW', normalize: identity });
    expect(t.dims).toEqual([2, 3, 1, 2]);
    expect(Array.from(t.data as Float32Array)).toEqual([0, 10, 1, 11, 2, 12, 100, 110, 101, 111, 102, 112]);
  });

  it('NCTHW: runs of clipLen views become the T axis', () => {
    const t = formatShape([view(0), view(1), view(2), view(0)], { inputFormat: 'NCTHW', clipLen: 2, normalize: identity });
    expect(t.dims).toEqual([2, 3, 2, 1, 2]); // [N, C, T, H, W]
    const d = Array.from(t.data as Float32Array);
    expect(d.slice(0, 4)).toEqual([0, 10, 100, 110]); // clip 0, R, t = 0 then t = 1
    expect(d.slice(12, 16)).toEqual([200, 210, 0, 10]); // clip 1, R
  });

  it('reads flipped views mirrored and applies channel order + mean/std', () => {
    const t = formatShape([view(1, true)], { inputFormat: 'NCHW', channelOrder: 'BGR', normalize: { mean: [2, 0, 0], std: [2, 1, 1] } });
    // B plane first: pixels (x=1, x=0) -> 112, 102, then (v - 2) / 2
    expect(Array.from(t.data as Float32Array).slice(0, 2)).toEqual([55, 50]);
  });

  it('rejects a clipLen that does not divide the views, and unknown formats', () => {
    expect(() => formattedDims(5, 2, 1, { inputFormat: 'NCTHW', clipLen: 2 })).toThrow(/clipLen >= 1 dividing the 5 views, got 2/);
    expect(() => formattedDims(5, 2, 1, { inputFormat: 'NHWC' as 'NCHW' })).toThrow(/allowed: 'NCHW', 'NCTHW'/);
  });
});
