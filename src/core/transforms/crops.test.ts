import { describe, expect, it } from 'vitest';
import { centerCrop, centerCropBox } from './center-crop.js';
import { cropSizePair } from './crop-box.js';
import type { ImageU8 } from './image.js';
import { tenCrop, tenCropBoxes } from './ten-crop.js';
import { threeCrop, threeCropBoxes } from './three-crop.js';

const frame = (width: number, height: number): ImageU8 => ({ width, height, data: new Uint8Array(width * height * 3) });

describe('crop boxes ([x1, y1, x2, y2], MMAction2 offsets)', () => {
  it('crop_size is an int or [w, h]', () => {
    expect(cropSizePair(224)).toEqual([224, 224]);
    expect(cropSizePair([200, 100])).toEqual([200, 100]);
    expect(() => cropSizePair(0)).toThrow(/crop_size must be an integer >= 1/);
  });

  it('CenterCrop floors the offsets', () => {
    expect(centerCropBox(340, 256, 224)).toEqual([58, 16, 282, 240]);
    expect(centerCropBox(341, 256, 224)).toEqual([58, 16, 282, 240]);
    expect(centerCropBox(455, 256, [200, 100])).toEqual([127, 78, 327, 178]);
  });

  it('ThreeCrop moves along the width when the crop spans the height (order left, right, middle)', () => {
    expect(threeCropBoxes(455, 256, 256)).toEqual([[0, 0, 256, 256], [198, 0, 454, 256], [99, 0, 355, 256]]);
    // square frame: three identical boxes
    expect(new Set(threeCropBoxes(256, 256, 256).map(String))).toEqual(new Set(['0,0,256,256']));
  });

  it('ThreeCrop moves along the height for portrait frames (top, bottom, middle)', () => {
    expect(threeCropBoxes(256, 455, 256)).toEqual([[0, 0, 256, 256], [0, 198, 256, 454], [0, 99, 256, 355]]);
  });

  it("ThreeCrop refuses a crop that matches neither side, saying what to do", () => {
    expect(() => threeCropBoxes(455, 256, 224)).toThrow(/must match the frame's width or height \(455x256\)/);
  });

  it('TenCrop uses (w - cw) // 4 steps: corners at 4 * step, centre at 2 * step', () => {
    expect(tenCropBoxes(341, 256, 224)).toEqual([
      [0, 0, 224, 224], [116, 0, 340, 224], [0, 32, 224, 256], [116, 32, 340, 256], [58, 16, 282, 240],
    ]);
  });

  it('rejects crops larger than the frame', () => {
    expect(() => centerCropBox(200, 300, 224)).toThrow(/crop 224x224 does not fit the 200x300 frame/);
    expect(() => tenCropBoxes(300, 200, 224)).toThrow(/TenCrop/);
  });

  it('orders views crop-major; TenCrop puts the flipped copies after each box', () => {
    const frames = [frame(341, 256), frame(341, 256)];
    expect(centerCrop(frames, 224).map((v) => v.image)).toEqual(frames);
    const three = threeCrop(frames, 256);
    expect(three.map((v) => [v.box[0], frames.indexOf(v.image)])).toEqual([[0, 0], [0, 1], [84, 0], [84, 1], [42, 0], [42, 1]]);
    const ten = tenCrop(frames, 224);
    expect(ten).toHaveLength(20);
    expect(ten.slice(0, 4).map((v) => v.flipped)).toEqual([false, false, true, true]);
    expect(ten.slice(4, 8).every((v) => v.box[0] === 116 && v.box[1] === 0)).toBe(true);
  });

  it('rejects frames of different sizes', () => {
    expect(() => centerCrop([frame(300, 300), frame(300, 301)], 224)).toThrow(/frames differ in size/);
  });
});
