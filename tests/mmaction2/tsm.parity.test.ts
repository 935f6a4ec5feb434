// TSM with a ResNet-50 trunk against MMAction2's logits, one view and two views (the temporal
// shift must not leak across views).
import { describe, expect, it } from 'vitest';
import { buildTsm } from '../../src/models/converters/mmaction2/tsm.js';
import { expectGoldenParity, TIGHT_REL_ERROR, timedParity } from './timed-parity.js';

describe('TSM ResNet-50 parity: tsm_r50_1x1x8', () => {
  it.each([false, true])('twoView=%s: exact state_dict and golden logits', async (twoView) => {
    const report = await timedParity('tsm_r50_1x1x8', buildTsm, { twoView });
    expect(report.views).toBe(twoView ? 2 : 1);
    expectGoldenParity(report, TIGHT_REL_ERROR);
  }, 120_000);
});
