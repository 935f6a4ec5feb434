import { describe, expect, it } from 'vitest';
import { fullView, viewToImage } from './image.js';

describe('crop views', () => {
  // 3x2 image, pixel value = 10 * x + y in every channel
  const image = { width: 3, height: 2, data: new Uint8Array([0, 0, 0, 10, 10, 10, 20, 20, 20, 1, 1, 1, 11, 11, 11, 21, 21, 21]) };

  it('materialises a box, x2/y2 exclusive', () => {
    const out = viewToImage({ image, box: [1, 0, 3, 2], flipped: false });
    expect([out.width, out.height]).toEqual([2, 2]);
    expect(Array.from(out.data.filter((_, i) => i % 3 === 0))).toEqual([10, 20, 11, 21]);
  });

  it('mirrors a flipped view left-right inside its box', () => {
    const out = viewToImage({ image, box: [1, 0, 3, 2], flipped: true });
    expect(Array.from(out.data.filter((_, i) => i % 3 === 0))).toEqual([20, 10, 21, 11]);
  });

  it('fullView covers the whole frame', () => {
    expect(fullView(image).box).toEqual([0, 0, 3, 2]);
    expect(viewToImage(fullView(image)).data).toEqual(image.data);
  });
});
