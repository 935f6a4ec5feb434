import { describe, expect, it } from 'vitest';
import type { ImageU8 } from './image.js';
import { runSpatialPipeline } from './run-spatial-pipeline.js';
import { parseTestPipeline } from './test-pipeline.js';

const gradient = (width: number, height: number, shift: number): ImageU8 => {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i + shift) % 251;
  return { width, height, data };
};
const identity = { normalize: { mean: [0, 0, 0], std: [1, 1, 1] } };

describe('runSpatialPipeline', () => {
  it('runs Resize -> ThreeCrop -> NCTHW and records every step', () => {
    const pipeline = parseTestPipeline([
      { type: 'SampleFrames', clip_len: 2, frame_interval: 1, num_clips: 2 },
      { type: 'Resize', scale: [-1, 16] },
      { type: 'ThreeCrop', crop_size: 16 },
      { type: 'FormatShape', input_format: 'NCTHW' },
    ]);
    const frames = [0, 1, 2, 3].map((k) => gradient(40, 20, k));
    const { tensor, steps } = runSpatialPipeline(pipeline, frames, identity);
    expect(steps.map((s) => [s.type, s.count, ...s.imgShape])).toEqual([
      ['Resize', 4, 16, 32],
      ['ThreeCrop', 12, 16, 16],
      ['FormatShape', 6, 16, 16],
    ]);
    expect(steps[1]!.cropBoxes!.slice(3, 5)).toEqual([[0, 0, 16, 16], [16, 0, 32, 16]]);
    expect(tensor.dims).toEqual([6, 3, 2, 16, 16]); // 3 crops x 2 clips, T = 2
    expect(tensor.data.length).toBe(6 * 3 * 2 * 16 * 16);
  });

  it('without a crop, formats whole frames; a fixed-size Resize ignores the aspect', () => {
    const pipeline = parseTestPipeline([
      { type: 'Resize', scale: [8, 4], keep_ratio: false },
      { type: 'FormatShape', input_format: 'NCHW' },
    ]);
    const { tensor } = runSpatialPipeline(pipeline, [gradient(20, 20, 0)], identity);
    expect(tensor.dims).toEqual([1, 3, 4, 8]);
  });

  it('needs a FormatShape step and at least one frame', () => {
    expect(() => runSpatialPipeline(parseTestPipeline([{ type: 'Resize', scale: [-1, 8] }]), [gradient(8, 8, 0)], identity)).toThrow(/no FormatShape/);
    expect(() => runSpatialPipeline(parseTestPipeline([{ type: 'FormatShape', input_format: 'NCHW' }]), [], identity)).toThrow(/no frames/);
  });
});
