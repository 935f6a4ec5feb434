// decodeFrames({ selectFrames }): ffmpeg's select filter must hand out exactly the frames a full
// sequential decode has at those indices (PyAV numbering), with their source index.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSelectionMapper, planFrameSelection, selectedFrameCount } from '../../src/video/frame-selection.js';
import { buildDecodeArgs } from '../../src/video/decode-args.js';
import { decodeFrames } from '../../src/video/decode.js';
import { decodeFrames as referenceFrames, sha256 } from '../transforms/ffmpeg-frames.js';

const MEDIA = resolve(process.cwd(), '../shared/media');

async function collect(path: string, selectFrames: number[]) {
  const out = [];
  for await (const f of decodeFrames(path, { geometry: { kind: 'native' }, selectFrames })) out.push(f);
  return out;
}

describe('planFrameSelection', () => {
  it('joins consecutive indices into runs and ignores order and duplicates', () => {
    expect(planFrameSelection([7, 2, 3, 3, 4, 10])).toEqual({ wanted: [2, 3, 4, 7, 10], ranges: [[2, 4], [7, 7], [10, 10]] });
  });

  it('merges the closest runs when there are more than allowed, and the mapper drops the extras', () => {
    const sel = planFrameSelection([0, 10, 12, 30, 31, 50], 3);
    expect(sel.ranges).toEqual([[0, 12], [30, 31], [50, 50]]); // gaps 2 and 10 closed, 18 and 19 kept
    expect(selectedFrameCount(sel.ranges)).toBe(16);
    const map = createSelectionMapper(sel);
    const sources = Array.from({ length: 16 }, (_, k) => map(k)).filter((s) => s !== undefined);
    expect(sources).toEqual(sel.wanted);
  });

  it('rejects empty lists and negative or fractional indices, and fps together with a selection', () => {
    expect(() => planFrameSelection([])).toThrow(/'selectFrames' is empty/);
    expect(() => planFrameSelection([1, -2])).toThrow(/integers >= 0, got -2/);
    expect(() => planFrameSelection([1.5])).toThrow(/got 1.5/);
    expect(() => buildDecodeArgs({ input: 'x.mp4', geometry: { kind: 'native' }, fps: 5, selectFrames: [1] })).toThrow(/cannot be combined with 'fps'/);
  });
});

describe('decodeFrames with selectFrames', () => {
  it('hands out the same pixels as a sequential decode, with source indices (arm_wrestling)', async () => {
    const file = resolve(MEDIA, 'arm_wrestling.mp4');
    const want = [279, 0, 5, 6, 7, 100, 6];
    const frames = await collect(file, want);
    const unique = [0, 5, 6, 7, 100, 279];
    expect(frames.map((f) => f.index)).toEqual(unique);
    const ref = referenceFrames(file, unique);
    frames.forEach((f, k) => expect(sha256(f.data)).toBe(sha256(ref[k]!.data)));
    expect(frames[1]!.ptsSec).toBeCloseTo(5 / 28, 3); // real timestamps survive the select
  });

  it('many scattered indices (more runs than the filter allows) still come out exact', async () => {
    const file = resolve(MEDIA, 'makeup_mpeg4.avi');
    const want = Array.from({ length: 60 }, (_, k) => k * 2 + (k % 3 === 0 ? 1 : 0)); // 60 scattered frames
    expect(planFrameSelection(want).ranges.length).toBeLessThanOrEqual(40);
    const frames = await collect(file, want);
    const unique = [...new Set(want)].sort((a, b) => a - b);
    expect(frames.map((f) => f.index)).toEqual(unique);
    const ref = referenceFrames(file, unique);
    frames.forEach((f, k) => expect(sha256(f.data), `frame ${f.index}`).toBe(sha256(ref[k]!.data)));
  });
});
