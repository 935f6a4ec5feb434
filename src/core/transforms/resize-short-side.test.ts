import { describe, expect, it } from 'vitest';
import { keepRatioSize, resizeShortSide, shortSideSize } from './resize-short-side.js';

describe('Resize(-1, S) sizes (mmcv.rescale_size)', () => {
  it.each([
    [340, 256, 256, 340, 256],
    [1920, 1080, 256, 455, 256],
    [172, 172, 256, 256, 256],
    [320, 240, 256, 341, 256],
    [300, 300, 256, 256, 256],
    [340, 256, 182, 242, 182],
    [1920, 1080, 182, 324, 182],
    [1080, 1920, 256, 256, 455], // portrait: the width is the short side
  ])('%ix%i short side %i -> %ix%i', (w, h, s, ew, eh) => {
    expect(shortSideSize(w, h, s)).toEqual({ width: ew, height: eh });
  });

  it('bounds both sides when scale has two positive values', () => {
    // factor = min(400 / 1920, 300 / 1080) = 0.2083 -> 400 x 225
    expect(keepRatioSize(1920, 1080, [400, 300])).toEqual({ width: 400, height: 225 });
  });

  it('rejects scales that bound nothing or are not integers', () => {
    expect(() => keepRatioSize(10, 10, [-1, -1])).toThrow(/scale must be/);
    expect(() => shortSideSize(10, 10, 0)).toThrow(/got \[-1,0\]/);
  });

  it('resizes frames to the computed size', () => {
    const frame = { width: 4, height: 2, data: new Uint8Array(24).fill(9) };
    const [out] = resizeShortSide([frame], 3);
    expect([out!.width, out!.height, out!.data.length]).toEqual([6, 3, 54]);
  });
});
