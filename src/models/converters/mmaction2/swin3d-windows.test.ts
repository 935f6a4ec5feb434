import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cropIndex, effectiveWindow, paddedSize, relativePositionIndex, windowRegionIds } from './swin3d-windows.js';

interface KeptBuffer { key: string; shape: number[]; sum: number; min: number; max: number; first8: number[] }
const swinFixture = JSON.parse(readFileSync(resolve(process.cwd(), '../shared/fixtures/mmaction2/swin_t_32x2x1.json'), 'utf8')) as { kept_buffers: KeptBuffer[] };

describe('relativePositionIndex', () => {
  it('recomputes the buffer MMAction2 keeps for window (8, 7, 7): shape, sum, range and first values', () => {
    const kept = swinFixture.kept_buffers[0]!;
    const index = relativePositionIndex([8, 7, 7]);
    expect(index.length).toBe(kept.shape[0]! * kept.shape[1]!);
    expect(index.reduce((a, b) => a + b, 0)).toBe(kept.sum);
    expect(index.reduce((a, b) => Math.min(a, b))).toBe(kept.min);
    expect(index.reduce((a, b) => Math.max(a, b))).toBe(kept.max);
    expect(Array.from(index.subarray(0, 8))).toEqual(kept.first8);
    // Every block of every stage keeps the same buffer.
    expect(new Set(swinFixture.kept_buffers.map((b) => `${b.sum}/${b.first8.join(',')}`)).size).toBe(1);
  });

  it('is symmetric around the table centre: index(i, j) + index(j, i) = 2 * centre', () => {
    const index = relativePositionIndex([2, 3, 3]);
    const n = 18;
    const centre = (2 - 1) * 5 * 5 + (3 - 1) * 5 + (3 - 1);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(index[i * n + j]! + index[j * n + i]!).toBe(2 * centre);
  });

  it('cropIndex keeps the top-left [m, m] block', () => {
    const full = relativePositionIndex([2, 2, 2]);
    const crop = cropIndex(full, 8, 3);
    expect(Array.from(crop)).toEqual([full[0], full[1], full[2], full[8], full[9], full[10], full[16], full[17], full[18]]);
  });
});

describe('effectiveWindow / paddedSize', () => {
  it('shrinks the window and drops the shift on axes no longer than the window', () => {
    expect(effectiveWindow([16, 7, 7], [8, 7, 7], [4, 3, 3])).toEqual({ window: [8, 7, 7], shift: [4, 0, 0] });
    expect(effectiveWindow([16, 56, 56], [8, 7, 7], [4, 3, 3])).toEqual({ window: [8, 7, 7], shift: [4, 3, 3] });
    expect(effectiveWindow([4, 16, 16], [8, 7, 7], [4, 3, 3])).toEqual({ window: [4, 7, 7], shift: [0, 3, 3] });
    expect(paddedSize([4, 16, 16], [4, 7, 7])).toEqual([4, 21, 21]);
  });
});

describe('windowRegionIds', () => {
  it('without a shift every window is one region', () => {
    const { ids, numWindows, windowVolume } = windowRegionIds([4, 14, 14], [2, 7, 7], [0, 0, 0]);
    expect(numWindows).toBe(2 * 2 * 2);
    expect(windowVolume).toBe(98);
    for (let w = 0; w < numWindows; w++) expect(new Set(ids.subarray(w * 98, (w + 1) * 98)).size).toBe(1);
  });

  it('with shift (4, 3, 3) the first window is whole and the last window mixes 2 x 2 x 2 regions', () => {
    const { ids, numWindows, windowVolume: n } = windowRegionIds([16, 56, 56], [8, 7, 7], [4, 3, 3]);
    expect(numWindows).toBe(2 * 8 * 8);
    expect(new Set(ids.subarray(0, n)).size).toBe(1);
    expect(new Set(ids.subarray((numWindows - 1) * n)).size).toBe(8);
    // A window on the last row of h only (not d, not w) mixes 2 regions.
    const lastH = (0 * 8 + 7) * 8 + 0;
    expect(new Set(ids.subarray(lastH * n, (lastH + 1) * n)).size).toBe(2);
  });

  it('with a zero shift on h and w (the 7 x 7 stage) only the temporal split remains', () => {
    const { ids, numWindows, windowVolume: n } = windowRegionIds([16, 7, 7], [8, 7, 7], [4, 0, 0]);
    expect(numWindows).toBe(2);
    expect(new Set(ids.subarray(0, n)).size).toBe(1);
    const last = ids.subarray(n);
    expect(new Set(last).size).toBe(2);
    // Frames 0-3 of the last window are one region, frames 4-7 another.
    expect(new Set(last.subarray(0, 4 * 49)).size).toBe(1);
    expect(last[0]).not.toBe(last[4 * 49]);
  });
});
