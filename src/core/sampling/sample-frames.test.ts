import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../errors.js';
import { clipSpanFrames, sampleFrames } from './sample-frames.js';

describe('sampleFrames (test mode)', () => {
  it('2D: one frame from the middle of each segment', () => {
    // avg = 10, indices int(10k + 5)
    expect(sampleFrames({ totalFrames: 80, clipLen: 1, frameInterval: 1, numClips: 8 })).toEqual([5, 15, 25, 35, 45, 55, 65, 75]);
  });

  it('2D twiceSample appends the segment starts', () => {
    const got = sampleFrames({ totalFrames: 80, clipLen: 1, frameInterval: 1, numClips: 4, twiceSample: true });
    expect(got).toEqual([10, 30, 50, 70, 0, 20, 40, 60]);
  });

  it('3D: clips spread evenly with rounded offsets, frames frameInterval apart', () => {
    // span = 3*4+1 = 13, max offset 87, offsets round(k*43.5) = 0, 44 (43.5 rounds to even), 87
    const got = sampleFrames({ totalFrames: 100, clipLen: 4, frameInterval: 4, numClips: 3 });
    expect(got).toEqual([0, 4, 8, 12, 44, 48, 52, 56, 87, 91, 95, 99]);
  });

  it('3D single clip takes the centre, and short videos loop', () => {
    expect(sampleFrames({ totalFrames: 20, clipLen: 2, frameInterval: 2, numClips: 1 })).toEqual([8, 10]);
    expect(sampleFrames({ totalFrames: 5, clipLen: 4, frameInterval: 2, numClips: 1 })).toEqual([0, 2, 4, 1]);
  });

  it("repeat_last replaces past-the-end indices with the clip's last valid one", () => {
    expect(sampleFrames({ totalFrames: 5, clipLen: 4, frameInterval: 2, numClips: 1, outOfBoundOpt: 'repeat_last' })).toEqual([0, 2, 4, 4]);
  });

  it('targetFps only rescales the clip when avgFps is known', () => {
    const base = { clipLen: 13, frameInterval: 6, targetFps: 30 };
    expect(clipSpanFrames(base)).toBe(78);
    expect(clipSpanFrames({ ...base, avgFps: 28 })).toBeCloseTo(72.8, 12);
    expect(clipSpanFrames({ ...base, avgFps: 60 })).toBe(156);
  });

  it('always returns numClips * clipLen indices inside [0, totalFrames)', () => {
    for (const totalFrames of [1, 3, 17, 250]) {
      const got = sampleFrames({ totalFrames, clipLen: 8, frameInterval: 8, numClips: 10 });
      expect(got).toHaveLength(80);
      expect(got.every((i) => Number.isInteger(i) && i >= 0 && i < totalFrames)).toBe(true);
    }
  });

  it('rejects bad settings with the parameter, the value and the allowed range', () => {
    expect(() => sampleFrames({ totalFrames: 0, clipLen: 1, frameInterval: 1, numClips: 8 })).toThrow(/'totalFrames' must be an integer >= 1, got 0/);
    expect(() => sampleFrames({ totalFrames: 10, clipLen: 1.5, frameInterval: 1, numClips: 8 })).toThrow(ActionLensError);
    expect(() =>
      sampleFrames({ totalFrames: 10, clipLen: 1, frameInterval: 1, numClips: 8, outOfBoundOpt: 'clamp' as 'loop' }),
    ).toThrow(/allowed: 'loop', 'repeat_last'/);
    expect(() => sampleFrames({ totalFrames: 10, clipLen: 4, frameInterval: 1, numClips: 2, targetFps: 0 })).toThrow(/'targetFps'/);
  });
});
