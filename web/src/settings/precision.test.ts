import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/settings/validate.js';
import { PRECISION_LABELS, PRECISIONS, precisionHelp } from './precision.js';

describe('precision setting', () => {
  it('offers exactly what the config accepts, fp32 first', () => {
    expect(PRECISIONS).toEqual(['fp32', 'int8']);
    for (const p of PRECISIONS) expect(validateConfig({ runtime: { precision: p } }).runtime.precision).toBe(p);
    expect(Object.keys(PRECISION_LABELS).sort()).toEqual([...PRECISIONS].sort());
  });

  it('says where int8 calibration comes from', () => {
    expect(precisionHelp('clip', 0)).toMatch(/calibrated on the first video analysed, unless the server sets calibration videos/);
    expect(precisionHelp('clip', 1)).toMatch(/the server's 1 calibration video\./);
    expect(precisionHelp('clip', 3)).toMatch(/the server's 3 calibration videos/);
    expect(precisionHelp(undefined, 0)).toMatch(/VNNI/);
  });

  it('leads with what int8 means for the chosen kind of model', () => {
    expect(precisionHelp('stream', 0)).toMatch(/^Stream models \(MoViNet\) already are int8/);
    expect(precisionHelp('clip', 0)).toMatch(/^int8 clip models: faster on CPUs with VNNI, slightly less accurate; calibrated on/);
    expect(precisionHelp('clip', 0)).toMatch(/already are int8/);
  });
});
