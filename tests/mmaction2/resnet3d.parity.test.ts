// I3D (ResNet3d, inflated 3x1x1 blocks, temporal pool2) and SlowOnly (ResNet3dSlowOnly) with
// I3DHead against MMAction2's logits.
import { describe, it } from 'vitest';
import { buildResNet3d, buildSlowOnly } from '../../src/models/converters/mmaction2/resnet3d.js';
import { expectGoldenParity, TIGHT_REL_ERROR, timedParity } from './timed-parity.js';

describe.each([
  ['i3d_r50_32x2x1', buildResNet3d],
  ['slowonly_r50_4x16x1', buildSlowOnly],
  ['slowonly_r50_8x8x1', buildSlowOnly],
] as const)('ResNet3d family parity: %s', (name, build) => {
  it('loads the exact state_dict and matches the golden logits', async () => {
    const report = await timedParity(name, build);
    expectGoldenParity(report, TIGHT_REL_ERROR);
  }, 120_000);
});
