import { describe, expect, it } from 'vitest';
import { planWindows, windowSpanFrames } from './plan-windows.js';

describe('planWindows', () => {
  it('tiles the video with clipLen*frameInterval-frame windows and adds a tail window', () => {
    // span 8*8 = 64 frames; 150 frames -> starts 0, 64, then the tail 86 (ends on frame 149)
    const w = planWindows({ totalFrames: 150, fps: 25, clipLen: 8, frameInterval: 8 });
    expect(w.map((x) => x.startFrame)).toEqual([0, 64, 86]);
    expect(w[1]!.frameIndices).toEqual([64, 72, 80, 88, 96, 104, 112, 120]);
    expect(w[2]!.frameIndices.at(-1)).toBe(142);
    expect(w[0]!.tStartSec).toBe(0);
    expect(w[0]!.tEndSec).toBeCloseTo(64 / 25, 12);
    expect(w[2]!.tEndSec).toBeCloseTo(6, 12);
    expect(w.map((x) => x.index)).toEqual([0, 1, 2]);
  });

  it('overlaps windows when the stride is shorter than the span', () => {
    const w = planWindows({ totalFrames: 64, fps: 32, clipLen: 4, frameInterval: 4, strideFrames: 8 });
    expect(w.map((x) => x.startFrame)).toEqual([0, 8, 16, 24, 32, 40, 48]);
    expect(w[3]!.tStartSec).toBe(0.75);
    expect(w[3]!.tEndSec).toBe(1.25);
  });

  it('gives one looping window for a video shorter than the span', () => {
    const w = planWindows({ totalFrames: 5, fps: 10, clipLen: 4, frameInterval: 2 });
    expect(w).toHaveLength(1);
    expect(w[0]!.frameIndices).toEqual([0, 2, 4, 1]);
    expect(w[0]!.tEndSec).toBe(0.5);
    const last = planWindows({ totalFrames: 5, fps: 10, clipLen: 4, frameInterval: 2, outOfBoundOpt: 'repeat_last' });
    expect(last[0]!.frameIndices).toEqual([0, 2, 4, 4]);
  });

  it('rescales the span by fps / targetFps (X3D geometry)', () => {
    expect(windowSpanFrames({ fps: 60, clipLen: 13, frameInterval: 6, targetFps: 30 })).toBe(156);
    const w = planWindows({ totalFrames: 300, fps: 60, clipLen: 13, frameInterval: 6, targetFps: 30 });
    expect(w[0]!.frameIndices).toHaveLength(13);
    expect(w[0]!.frameIndices.at(-1)).toBe(155);
    expect(w[1]!.startFrame).toBe(144); // tail window: 300 - 156
  });

  it('rejects a zero fps or stride, naming the parameter', () => {
    expect(() => planWindows({ totalFrames: 10, fps: 0, clipLen: 1, frameInterval: 1 })).toThrow(/'fps' must be a finite number > 0, got 0/);
    expect(() => planWindows({ totalFrames: 10, fps: 5, clipLen: 1, frameInterval: 1, strideFrames: 0 })).toThrow(/'strideFrames'/);
  });
});
