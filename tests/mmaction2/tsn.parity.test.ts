// TSN (ResNet-50 + TSNHead) against MMAction2's logits, with the 8-segment val input and the
// 25-segment test input.
import { describe, it } from 'vitest';
import { buildTsn } from '../../src/models/converters/mmaction2/resnet2d.js';
import { expectGoldenParity, TIGHT_REL_ERROR, timedParity } from './timed-parity.js';

describe.each(['tsn_r50_1x1x8_8seg', 'tsn_r50_1x1x8'])('TSN parity: %s', (name) => {
  it('loads the exact state_dict and matches the golden logits', async () => {
    const report = await timedParity(name, buildTsn);
    expectGoldenParity(report, TIGHT_REL_ERROR);
  }, 120_000);
});
