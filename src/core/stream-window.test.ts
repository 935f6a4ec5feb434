import { describe, expect, it } from 'vitest';
import { windowStep } from './stream-window.js';

/** Frames each lane has seen after frame k, replaying the schedule from the start. */
function replay(frames: number, window: number) {
  const ages = [0, 0];
  const reported: number[] = [];
  for (let k = 0; k < frames; k++) {
    const step = windowStep(k, window);
    for (const lane of [0, 1] as const) {
      if (step.restart[lane]) ages[lane] = 0;
      if (step.active[lane]) ages[lane]++;
    }
    reported.push(ages[step.report]!);
  }
  return reported;
}

describe('staggered stream windows', () => {
  it('reports every frame since the start until the first restart, as a single stream would', () => {
    expect(replay(50, 50)).toEqual(Array.from({ length: 50 }, (_, k) => k + 1));
  });

  it('after that, always the lane with between window/2 and window frames of history', () => {
    const ages = replay(400, 50).slice(50);
    expect(Math.min(...ages)).toBe(26);
    expect(Math.max(...ages)).toBe(50);
    expect(replay(60, 50).slice(48)).toEqual([49, 50, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35]);
  });

  it('restarts each lane exactly once per window, half a window apart', () => {
    const restarts = [[], []] as number[][];
    for (let k = 0; k < 200; k++) windowStep(k, 50).restart.forEach((r, lane) => r && restarts[lane]!.push(k));
    expect(restarts).toEqual([
      [50, 100, 150],
      [25, 75, 125, 175],
    ]);
    expect(windowStep(24, 50).active).toEqual([true, false]);
    expect(() => windowStep(0, 1)).toThrow(/window is 1/);
  });
});
