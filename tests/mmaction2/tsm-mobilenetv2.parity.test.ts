// TSM on MobileNetV2 (depthwise convs, ReLU6, shift inside inverted residuals) against MMAction2.
import { describe, expect, it } from 'vitest';
import { buildMobileNetV2Tsm, makeDivisible } from '../../src/models/converters/mmaction2/mobilenetv2-tsm.js';
import { expectGoldenParity, TIGHT_REL_ERROR, timedParity } from './timed-parity.js';

describe('TSM MobileNetV2 parity: tsm_mobilenetv2_1x1x8', () => {
  it('loads the exact state_dict and matches the golden logits', async () => {
    const report = await timedParity('tsm_mobilenetv2_1x1x8', buildMobileNetV2Tsm);
    expectGoldenParity(report, TIGHT_REL_ERROR);
  }, 60_000);
});

describe('makeDivisible', () => {
  it('rounds to the nearest multiple of 8 and never drops more than 10%', () => {
    expect(makeDivisible(32, 8)).toBe(32);
    expect(makeDivisible(32 * 0.75, 8)).toBe(24);
    expect(makeDivisible(16 * 0.35, 8)).toBe(8); // floor at the divisor
    expect(makeDivisible(91, 8)).toBe(88); // 88 >= 0.9 * 91
    expect(makeDivisible(100, 8)).toBe(104); // 100 + 4 rounds up
    expect(makeDivisible(9.5, 8)).toBe(16); // 8 < 0.9 * 9.5, so one divisor more
  });
});
