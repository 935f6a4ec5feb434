// SlowFast's temporal resampling (PyTorch nearest interpolation) and the config errors a user sees.
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Mmaction2ModelDict } from './types.js';
import { conversionError, zeroSource } from '../../../../tests/mmaction2/builder-test-helpers.js';
import { buildSlowFast, nearestResampleIndices } from './slowfast.js';

const FIXTURES = resolve(process.cwd(), '../shared/fixtures/mmaction2');
const model = (JSON.parse(readFileSync(resolve(FIXTURES, 'slowfast_r50_4x16x1.json'), 'utf8')) as { model: Mmaction2ModelDict }).model;

describe('nearestResampleIndices', () => {
  it('keeps floor(T / rate) frames, frame i from floor(i * rate)', () => {
    expect(nearestResampleIndices(32, 8)).toEqual([0, 8, 16, 24]);
    expect(nearestResampleIndices(32, 4)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(nearestResampleIndices(13, 3)).toEqual([0, 3, 6, 9]); // 13/3 -> 4 frames, the last 1 dropped
    expect(nearestResampleIndices(7, 8)).toEqual([]);
  });
});

describe('buildSlowFast config errors', () => {
  const viewShape = [3, 32, 64, 64];
  const slow = model.backbone.slow_pathway as Record<string, unknown>;
  it('refuses options it cannot build, naming the nested key', () => {
    const bad = { ...model, backbone: { ...model.backbone, slow_pathway: { ...slow, lateral_inv: true } } };
    expect(conversionError(() => buildSlowFast(bad, zeroSource(), { viewShape }))).toMatch(/backbone\.slow_pathway\.lateral_inv = true/);
    const nonLocal = { ...model, backbone: { ...model.backbone, slow_pathway: { ...slow, non_local: [0, 1, 0, 0] } } };
    expect(conversionError(() => buildSlowFast(nonLocal, zeroSource(), { viewShape }))).toMatch(/non_local = \[0,1,0,0\]: non-local blocks are not supported/);
  });
  it('explains a clip too short for the slow pathway', () => {
    expect(conversionError(() => buildSlowFast(model, zeroSource(), { viewShape: [3, 4, 64, 64] }))).toMatch(/T = 4 frames is shorter than the slow_frames resample rate 8/);
  });
  it('explains a clip length whose slow and fast frame rates do not line up', () => {
    // 36 frames: slow keeps 4 (0, 8, 16, 24), the stride-8 lateral over 36 fast frames gives 5
    expect(conversionError(() => buildSlowFast(model, zeroSource(), { viewShape: [3, 36, 64, 64] }))).toMatch(/slow_fused0: slow features are \(T, H, W\) = \(4, 16, 16\) but the lateral .* \(5, 16, 16\)/);
  });
  it('checks the head width against both pathways', () => {
    const bad = { ...model, cls_head: { ...model.cls_head, in_channels: 2048 } };
    expect(conversionError(() => buildSlowFast(bad, zeroSource(), { viewShape }))).toMatch(/in_channels = 2048 .* 2304 \(slow 2048 \+ fast 256\)/);
  });
});
