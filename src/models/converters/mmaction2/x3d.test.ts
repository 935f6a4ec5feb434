// X3D's width/depth arithmetic against the shapes in MMAction2's own state_dicts (the golden
// fixtures), and the config errors a user sees.
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Mmaction2ModelDict } from './types.js';
import { conversionError, zeroSource } from '../../../../tests/mmaction2/builder-test-helpers.js';
import { buildX3d, roundWidth, x3dArchitecture } from './x3d.js';

const FIXTURES = resolve(process.cwd(), '../shared/fixtures/mmaction2');
const fixture = JSON.parse(readFileSync(resolve(FIXTURES, 'x3d_s_13x6x1.json'), 'utf8')) as {
  model: Mmaction2ModelDict;
  state_dict: [string, number[], string, string][];
};
const shapeOf = new Map(fixture.state_dict.map(([k, s]) => [k, s]));

describe('x3dArchitecture', () => {
  it('gives the stage depths and widths of the X3D-S state_dict (gamma_b 2.25, gamma_d 2.2)', () => {
    const cfg = { type: 'X3D' as const, gamma_w: 1, gamma_b: 2.25, gamma_d: 2.2, in_channels: 3, num_stages: 4, spatial_strides: [2, 2, 2, 2], se_style: 'half' as const, se_ratio: 1 / 16, use_swish: true };
    const arch = x3dArchitecture(cfg);
    arch.stages.forEach((stage, i) => {
      const blocksInDict = new Set(fixture.state_dict.map(([k]) => k.match(new RegExp(`^backbone\\.layer${i + 1}\\.(\\d+)\\.`))?.[1]).filter(Boolean));
      expect(stage.blocks).toBe(blocksInDict.size);
      expect(shapeOf.get(`backbone.layer${i + 1}.0.conv1.conv.weight`)).toEqual([stage.midChannels, stage.inChannels, 1, 1, 1]);
      expect(shapeOf.get(`backbone.layer${i + 1}.0.conv3.conv.weight`)).toEqual([stage.outChannels, stage.midChannels, 1, 1, 1]);
      // SE bottleneck width comes from roundWidth(mid, 1/16)
      expect(shapeOf.get(`backbone.layer${i + 1}.0.se_module.fc1.weight`)?.[0]).toBe(roundWidth(stage.midChannels, 1 / 16));
    });
    expect(shapeOf.get('backbone.conv5.conv.weight')?.[0]).toBe(arch.featDim);
  });

  it('roundWidth rounds to multiples of 8, at least 8, never 10% low, and keeps the width for multiplier 0', () => {
    expect(roundWidth(54, 1 / 16)).toBe(8); // 3.4 -> min width
    expect(roundWidth(432, 1 / 16)).toBe(32); // 27 -> 24 is > 10% low -> 32
    expect(roundWidth(24, 2)).toBe(48);
    expect(roundWidth(24, 0)).toBe(24);
  });
});

describe('buildX3d config errors', () => {
  const viewShape = [3, 4, 32, 32];
  it('names an unsupported option and its value', () => {
    const model = { ...fixture.model, backbone: { ...fixture.model.backbone, se_style: 'third' } };
    expect(conversionError(() => buildX3d(model, zeroSource(), { viewShape }))).toMatch(/backbone\.se_style = "third".*"half"\|"all"/);
  });
  it('refuses unknown backbone keys instead of ignoring them', () => {
    const model = { ...fixture.model, backbone: { ...fixture.model.backbone, temporal_strides: [2, 1, 1, 1] } };
    expect(conversionError(() => buildX3d(model, zeroSource(), { viewShape }))).toMatch(/backbone: unknown option\(s\) "temporal_strides"/);
  });
  it('checks the head width against the backbone', () => {
    const model = { ...fixture.model, cls_head: { ...fixture.model.cls_head, in_channels: 512 } };
    expect(conversionError(() => buildX3d(model, zeroSource(), { viewShape }))).toMatch(/cls_head\.in_channels = 512 .* 432/);
  });
  it('checks viewShape is [3, T, H, W]', () => {
    expect(conversionError(() => buildX3d(fixture.model, zeroSource(), { viewShape: [8, 3, 32, 32] }))).toMatch(/viewShape = \[8, 3, 32, 32\]/);
  });
});
