// C2D (2D ResNet per frame + temporal pool) and R(2+1)D (ResNet-34 with Conv2plus1d, SyncBN
// eps 1e-3) against MMAction2's logits.
import { describe, expect, it } from 'vitest';
import { buildC2d } from '../../src/models/converters/mmaction2/c2d.js';
import { buildR2plus1d, conv2plus1dMidChannels } from '../../src/models/converters/mmaction2/r2plus1d.js';
import { expectGoldenParity, TIGHT_REL_ERROR, timedParity } from './timed-parity.js';

describe.each([
  ['c2d_r50_8x8x1', buildC2d],
  ['r2plus1d_r34_32x2x1', buildR2plus1d],
] as const)('parity: %s', (name, build) => {
  it('loads the exact state_dict and matches the golden logits', async () => {
    const report = await timedParity(name, build);
    expectGoldenParity(report, TIGHT_REL_ERROR);
  }, 180_000);
});

describe('conv2plus1dMidChannels', () => {
  it('gives the middle widths of the R(2+1)D-34 state_dict', () => {
    expect(conv2plus1dMidChannels(3, 64, [3, 7, 7])).toBe(83); // stem: 28224 / 339 = 83.26
    expect(conv2plus1dMidChannels(64, 64, [3, 3, 3])).toBe(144); // exact quotient
    expect(conv2plus1dMidChannels(64, 128, [3, 3, 3])).toBe(230);
    expect(conv2plus1dMidChannels(64, 128, [1, 1, 1])).toBe(54); // downsample projection
  });
});
