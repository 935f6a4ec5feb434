import { describe, expect, it } from 'vitest';
import { relPosIndex, relPosMatrix, resizeRelPos } from './mvit-rel-pos.js';

describe('relPosIndex', () => {
  it('spans 0 .. 2 * max(q, k) - 2 for equal sizes (distance + k - 1)', () => {
    const index = relPosIndex(8, 8);
    expect(index[0]).toBe(7); // q 0, k 0
    expect(index[7]).toBe(0); // q 0, k 7
    expect(index[7 * 8]).toBe(14); // q 7, k 0
  });

  it('scales the coarser side: q 56 against k 7 (kv stride 8)', () => {
    const index = relPosIndex(56, 7);
    // k coords are multiplied by 56 / 7 = 8, offset (7 - 1) * 8 = 48.
    expect(index[0]).toBe(48);
    expect(index[6]).toBe(0);
    expect(index[55 * 7]).toBe(103);
    expect(Math.max(...index)).toBeLessThanOrEqual(2 * 56 - 2);
  });
});

describe('resizeRelPos', () => {
  it('interpolates linearly with half-pixel centres and edge clamping (align_corners=False)', () => {
    // Length 3 -> 5: source positions -0.2 (clamped to 0), 0.4, 1.0, 1.6, 2.2 (clamped to the last row).
    const out = resizeRelPos(Float32Array.of(0, 10, 20), 3, 1, 5);
    expect(Array.from(out).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([0, 4, 10, 16, 20]);
  });

  it('returns the table unchanged when the length already fits', () => {
    const t = Float32Array.of(1, 2, 3, 4);
    expect(resizeRelPos(t, 2, 2, 2)).toBe(t);
  });
});

describe('relPosMatrix', () => {
  it('lays out rel_pos[index(i, j), c] as [q, c, k] for MatMul', () => {
    // 3 rows x 2 channels, q = k = 2: rows needed 2 * 2 - 1 = 3, index(i, j) = i - j + 1.
    const table = Float32Array.of(0, 1, 10, 11, 20, 21);
    const m = relPosMatrix(table, 3, 2, 2, 2);
    const at = (i: number, c: number, j: number) => m[(i * 2 + c) * 2 + j];
    expect(at(0, 0, 0)).toBe(10); // index 1
    expect(at(0, 1, 1)).toBe(1); // index 0, channel 1
    expect(at(1, 0, 0)).toBe(20); // index 2
    expect(at(1, 1, 1)).toBe(11);
  });
});
