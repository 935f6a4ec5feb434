// Golden parity for SlowFast (ResNet3dSlowFast + SlowFastHead): slowfast_r50_4x16x1 (tau 16 at
// interval 2: resample_rate 8, speed_ratio 8, fusion kernel 5) and slowfast_r50_8x8x1 (resample_rate
// 4, speed_ratio 4, fusion kernel 7), against MMAction2 1.2.0's logits and backbone features.
import { describe, it } from 'vitest';
import { buildSlowFast, buildSlowFastGraph } from '../../src/models/converters/mmaction2/slowfast.js';
import { backboneFeatureStats, expectStatsClose, fixtureBackboneStats } from './backbone-features.js';
import { expectGoldenParity } from './timed-parity.js';
import { loadFixture, runParity } from './parity-harness.js';

describe.each(['slowfast_r50_4x16x1', 'slowfast_r50_8x8x1'])('SlowFast golden parity: %s', (name) => {
  const fx = loadFixture(name);

  it('loads exactly the fixture state_dict and matches the logits', async () => {
    const report = await runParity(fx, buildSlowFast);
    console.log(name, JSON.stringify({ ...report, missingKeys: report.missingKeys.length }));
    expectGoldenParity(report);
  });

  it('matches the backbone features (slow, fast)', async () => {
    const build = (...args: Parameters<typeof buildSlowFast>) => buildSlowFastGraph(...args, { backboneOutputs: true });
    const [slow, fast] = await backboneFeatureStats(fx, build, ['backbone_slow', 'backbone_fast']);
    const [refSlow, refFast] = fixtureBackboneStats(fx);
    expectStatsClose(slow!, refSlow!);
    expectStatsClose(fast!, refFast!);
  });
});
