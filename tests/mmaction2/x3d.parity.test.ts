// Golden parity for X3D (backbone X3D + X3DHead): x3d_s_13x6x1 (single and two views) and
// x3d_m_16x5x1, against the logits and backbone features MMAction2 1.2.0 computed with the fixtures'
// deterministic weights.
import { describe, expect, it } from 'vitest';
import { buildX3d, buildX3dGraph } from '../../src/models/converters/mmaction2/x3d.js';
import { backboneFeatureStats, expectStatsClose, fixtureBackboneStats } from './backbone-features.js';
import { expectGoldenParity } from './timed-parity.js';
import { loadFixture, runParity } from './parity-harness.js';

const withBackbone = (...args: Parameters<typeof buildX3d>) => buildX3dGraph(...args, { backboneOutputs: true });

describe('X3D golden parity', () => {
  it('x3d_s_13x6x1: one view [1, 3, 13, 182, 182]', async () => {
    const report = await runParity(loadFixture('x3d_s_13x6x1'), buildX3d);
    console.log('x3d_s_13x6x1', JSON.stringify({ ...report, missingKeys: report.missingKeys.length }));
    expect(report.views).toBe(1);
    expectGoldenParity(report);
  });

  it('x3d_s_13x6x1: two views [2, 3, 13, 182, 182] score each view', async () => {
    const report = await runParity(loadFixture('x3d_s_13x6x1'), buildX3d, { twoView: true });
    console.log('x3d_s_13x6x1 two_view', JSON.stringify({ ...report, missingKeys: report.missingKeys.length }));
    expect(report.views).toBe(2);
    expectGoldenParity(report);
  });

  it('x3d_m_16x5x1: one view [1, 3, 16, 256, 256]', async () => {
    const report = await runParity(loadFixture('x3d_m_16x5x1'), buildX3d);
    console.log('x3d_m_16x5x1', JSON.stringify({ ...report, missingKeys: report.missingKeys.length }));
    expectGoldenParity(report);
  });

  it.each(['x3d_s_13x6x1', 'x3d_m_16x5x1'])('%s: backbone features match MMAction2 stage=backbone', async (name) => {
    const fx = loadFixture(name);
    const [ours] = await backboneFeatureStats(fx, withBackbone, ['backbone']);
    expectStatsClose(ours!, fixtureBackboneStats(fx)[0]!);
  });
});
