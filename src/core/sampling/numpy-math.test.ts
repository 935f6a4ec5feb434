import { describe, expect, it } from 'vitest';
import { floorMod, linspaceTruncated, roundHalfEven } from './numpy-math.js';

describe('numpy-math', () => {
  it('roundHalfEven rounds halves to the even neighbour, like np.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001, 7].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, 2, 3, 7]);
  });

  it('linspaceTruncated matches np.linspace(0, 77, 13).astype(int32) (X3D without avg_fps)', () => {
    expect(linspaceTruncated(0, 77, 13)).toEqual([0, 6, 12, 19, 25, 32, 38, 44, 51, 57, 64, 70, 77]);
  });

  it('linspaceTruncated pins the last value to stop and handles num 0 / 1 / zero step', () => {
    // 0.1 * 3 steps would drift below 0.3 * 10; numpy sets the end exactly.
    expect(linspaceTruncated(0, 71.8, 13).at(-1)).toBe(71);
    expect(linspaceTruncated(0, 5, 1)).toEqual([0]);
    expect(linspaceTruncated(0, 5, 0)).toEqual([]);
    expect(linspaceTruncated(0, 0, 4)).toEqual([0, 0, 0, 0]);
  });

  it('floorMod follows the sign of the divisor', () => {
    expect(floorMod(7, 3)).toBe(1);
    expect(floorMod(-1, 3)).toBe(2);
    expect(floorMod(6.5, 3)).toBeCloseTo(0.5, 12);
  });
});
