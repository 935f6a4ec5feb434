import { describe, expect, it } from 'vitest';
import type { ImageU8 } from './image.js';
import { resizeBilinear } from './resize-bilinear.js';

function image(width: number, height: number, pixel: (x: number, y: number, c: number) => number): ImageU8 {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = pixel(x, y, c);
  return { width, height, data };
}

/** Plain float bilinear with OpenCV's half-pixel centres and edge clamping, for comparison. */
function floatBilinear(src: ImageU8, width: number, height: number): Float64Array {
  const out = new Float64Array(width * height * 3);
  const coord = (d: number, s: number, n: number): [number, number, number] => {
    const f = Math.min(Math.max((d + 0.5) * (s / n) - 0.5, 0), s - 1);
    const i = Math.floor(f);
    return [i, Math.min(i + 1, s - 1), f - i];
  };
  for (let y = 0; y < height; y++) {
    const [y0, y1, fy] = coord(y, src.height, height);
    for (let x = 0; x < width; x++) {
      const [x0, x1, fx] = coord(x, src.width, width);
      for (let c = 0; c < 3; c++) {
        const p = (xx: number, yy: number) => src.data[(yy * src.width + xx) * 3 + c]!;
        const top = p(x0, y0) * (1 - fx) + p(x1, y0) * fx;
        const bottom = p(x0, y1) * (1 - fx) + p(x1, y1) * fx;
        out[(y * width + x) * 3 + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

describe('resizeBilinear (OpenCV INTER_LINEAR, uint8)', () => {
  it('interpolates a 2-pixel row with 11-bit weights: [10, 21] -> [10, 13, 18, 21]', () => {
    // taps at x = -0.25 (clamped), 0.25, 0.75, 1.25 (clamped); 12.75 -> 13, 18.25 -> 18
    const out = resizeBilinear(image(2, 1, (x) => (x === 0 ? 10 : 21)), 4, 1);
    expect(Array.from(out.data.filter((_, i) => i % 3 === 0))).toEqual([10, 13, 18, 21]);
  });

  it('keeps a constant image constant at any scale', () => {
    const grey = image(37, 23, (_x, _y, c) => [7, 128, 255][c]!);
    for (const [w, h] of [[256, 160], [13, 9], [37, 64]] as const) {
      const out = resizeBilinear(grey, w, h);
      expect(new Set(out.data.filter((_, i) => i % 3 === 1))).toEqual(new Set([128]));
      expect(new Set(out.data.filter((_, i) => i % 3 === 2))).toEqual(new Set([255]));
    }
  });

  it('stays within 1 of exact float bilinear on a textured image (up and down)', () => {
    const src = image(61, 47, (x, y, c) => (x * 37 + y * 91 + c * 53 + ((x * y) % 17) * 11) % 256);
    for (const [w, h] of [[90, 70], [24, 19]] as const) {
      const got = resizeBilinear(src, w, h).data;
      const want = floatBilinear(src, w, h);
      let maxDiff = 0;
      for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
      expect(maxDiff).toBeLessThanOrEqual(1);
      expect(maxDiff).toBeGreaterThan(0); // fixed point really rounds differently somewhere
    }
  });

  it('copies when the size does not change', () => {
    const src = image(5, 4, (x, y, c) => x + y * 10 + c * 100);
    const out = resizeBilinear(src, 5, 4);
    expect(out.data).toEqual(src.data);
    expect(out.data).not.toBe(src.data);
  });

  it('rejects a non-positive size, naming it', () => {
    expect(() => resizeBilinear(image(2, 2, () => 0), 0, 4)).toThrow(/'width' must be an integer >= 1, got 0/);
  });
});
