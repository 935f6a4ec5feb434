import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/settings/defaults.js';
import { formFromSettings, numberFromText, sampleFpsFromText, settingsFromForm } from './settings-form.js';

const defaults = DEFAULT_CONFIG.analysis;

describe('settings form', () => {
  it('round-trips settings through the form', () => {
    const r = settingsFromForm(formFromSettings(defaults));
    expect(r).toEqual({ ok: true, settings: defaults });
    const custom = { ...defaults, sample_fps: 'all' as const, topk: 3 };
    expect(settingsFromForm(formFromSettings(custom))).toEqual({ ok: true, settings: custom });
  });

  it('reads sample fps: empty = model default, "all", or a number', () => {
    expect(sampleFpsFromText('')).toBeNull();
    expect(sampleFpsFromText(' ALL ')).toBe('all');
    expect(sampleFpsFromText('7.5')).toBe(7.5);
    expect(sampleFpsFromText('fast')).toBe('fast');
    expect(numberFromText('  ')).toBeUndefined();
    expect(numberFromText('1e2')).toBe(100);
  });

  it('maps each schema error to its input, with the allowed range', () => {
    const form = { ...formFromSettings(defaults), topk: '0', threshold: 'x', sample_fps: 'fast', sigma_sec: '-1' };
    const r = settingsFromForm(form);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.topk).toBe('expected an integer in 1..1000');
    expect(r.errors.threshold).toBe('expected a number in 0..1');
    expect(r.errors.sample_fps).toMatch(/"all"/);
    expect(r.errors.sigma_sec).toBe('expected a number > 0 and <= 3600');
    expect(r.errors.window_sec).toBeUndefined();
  });

  it('reports the cross-field event rule on the exit score', () => {
    const r = settingsFromForm({ ...formFromSettings(defaults), enter_score: '0.2', exit_score: '0.5' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.exit_score).toMatch(/enter_score/);
  });

  it('an emptied input is an error, not a silent default', () => {
    const r = settingsFromForm({ ...formFromSettings(defaults), window_sec: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.window_sec).toMatch(/expected a number/);
  });
});
