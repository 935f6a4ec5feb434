import { describe, expect, it } from 'vitest';
import { rgbaToRgb } from './frame-grabber.js';

describe('rgbaToRgb', () => {
  it('drops the alpha byte of each pixel and keeps the order', () => {
    const rgba = Uint8ClampedArray.of(1, 2, 3, 255, 4, 5, 6, 0, 7, 8, 9, 128);
    expect([...rgbaToRgb(rgba)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives a new array each time (the engine may keep it) and refuses partial pixels', () => {
    const rgba = new Uint8Array(172 * 172 * 4).fill(200);
    const a = rgbaToRgb(rgba);
    expect(a.length).toBe(172 * 172 * 3);
    expect(a.every((v) => v === 200)).toBe(true);
    expect(rgbaToRgb(rgba)).not.toBe(a);
    expect(() => rgbaToRgb(new Uint8Array(7))).toThrow(/7 bytes/);
  });
});
