import { describe, expect, it } from 'vitest';
import type { ActionLensError } from '../errors.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { applyOverrides, validateAnalysisSettings, validateConfig } from './validate.js';

function errorOf(fn: () => unknown): ActionLensError {
  try {
    fn();
  } catch (e) {
    return e as ActionLensError;
  }
  throw new Error('expected a throw');
}

describe('validateConfig', () => {
  it('fills every default from an empty input', () => {
    expect(validateConfig({})).toEqual(DEFAULT_CONFIG);
    expect(validateConfig(undefined)).toEqual(DEFAULT_CONFIG);
    expect(validateConfig(null)).toEqual(DEFAULT_CONFIG);
  });

  it('returns a new object and never mutates the input or the defaults', () => {
    const input = { analysis: { topk: 3, smoothing: { method: 'none' } }, store: { mirrors: ['https://m.example/'] } };
    const snapshot = structuredClone(input);
    const out = validateConfig(input);
    expect(input).toEqual(snapshot);
    expect(out.analysis.topk).toBe(3);
    expect(out.analysis.smoothing).toEqual({ method: 'none', sigma_sec: 1, width_sec: 3 });
    expect(out.store.mirrors).not.toBe(input.store.mirrors);
    out.store.mirrors.push('x');
    expect(DEFAULT_CONFIG.store.mirrors).toEqual([]);
    expect(Object.isFrozen(DEFAULT_CONFIG.analysis.events)).toBe(true);
  });

  it('names the field, the bad value and the allowed range', () => {
    const e = errorOf(() => validateConfig({ analysis: { topk: 0 } }, 'my.yaml'));
    expect(e.code).toBe('AL_ERR_INVALID_SETTINGS');
    expect(e.message).toContain('analysis.topk: expected an integer in 1..1000, got 0');
    expect(e.message).toContain('in my.yaml');
    expect(errorOf(() => validateConfig({ analysis: { topk: 2.5 } })).message).toContain('analysis.topk: expected an integer in 1..1000, got 2.5');
    expect(errorOf(() => validateConfig({ analysis: { topk: '5' } })).message).toContain('got "5"');
  });

  it('lists every bad field at once', () => {
    const e = errorOf(() =>
      validateConfig({
        analysis: { threshold: 1.5, window_sec: 0, smoothing: { method: 'median' }, aggregate: 'sum' },
        runtime: { threads: -1, execution_providers: ['cpu', 'gpu'] },
        log_level: 'loud',
      }),
    );
    const lines = e.message.split('\n').slice(1).map((l) => l.trim());
    expect(lines).toEqual([
      'analysis.threshold: expected a number in 0..1, got 1.5',
      'analysis.window_sec: expected a number > 0 and <= 3600, got 0',
      'analysis.smoothing.method: expected one of none | moving_average | gaussian, got "median"',
      'analysis.aggregate: expected one of mean | max, got "sum"',
      'runtime.threads: expected an integer in 0..1024, got -1',
      'runtime.execution_providers[1]: expected one of cpu | cuda | tensorrt | dml | coreml | webgpu | wasm | webnn, got "gpu"',
      'log_level: expected one of trace | debug | info | warn | error | silent, got "loud"',
    ]);
  });

  it('accepts null, a positive rate or "all" for sample_fps and explains the choice otherwise', () => {
    for (const ok of [null, 5, 0.5, 'all'] as const) expect(validateConfig({ analysis: { sample_fps: ok } }).analysis.sample_fps).toBe(ok);
    for (const bad of [0, -2, 'every', 2000]) {
      expect(errorOf(() => validateConfig({ analysis: { sample_fps: bad } })).message).toContain(
        `analysis.sample_fps: expected null (the model's own rate), a number > 0 and <= 1000, or "all" (every frame), got ${JSON.stringify(bad)}`,
      );
    }
  });

  it('rejects unknown keys and says which keys are allowed there', () => {
    const e = errorOf(() => validateConfig({ analysis: { topK: 5 }, colour: 'red' }));
    expect(e.message).toContain('analysis.topK: unknown field; allowed here: topk, threshold, sample_fps, window_sec, smoothing, aggregate, events, clip_protocol');
    expect(e.message).toMatch(/colour: unknown field; allowed here: model, analysis/);
  });

  it('requires exit_score <= enter_score (hysteresis)', () => {
    const e = errorOf(() => validateConfig({ analysis: { events: { enter_score: 0.3, exit_score: 0.5 } } }));
    expect(e.message).toContain('analysis.events.exit_score: expected a number in 0..enter_score (0.3) so that events have hysteresis, got 0.5');
    expect(validateConfig({ analysis: { events: { enter_score: 0.4, exit_score: 0.4 } } }).analysis.events.exit_score).toBe(0.4);
  });

  it('rejects a non-mapping input, a wrong section type and a missing-by-null section', () => {
    expect(errorOf(() => validateConfig([1, 2])).message).toMatch(/expected a mapping of settings.*got a list/);
    expect(errorOf(() => validateConfig({ runtime: 'fast' })).message).toMatch(/^Invalid settings/);
    expect(errorOf(() => validateConfig({ store: { cache_dir: '' } })).message).toContain('store.cache_dir: expected a directory path or null, got ""');
  });

  it('ignores a __proto__ key instead of polluting Object.prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "analysis": {"topk": 2}}') as unknown;
    expect(validateConfig(input).analysis.topk).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('applyOverrides', () => {
  it('deep-merges: objects merge, arrays replace, null sets a nullable field', () => {
    const base = validateConfig({ store: { cache_dir: '/tmp/x', mirrors: ['a', 'b'] } });
    const out = applyOverrides(base, { analysis: { smoothing: { sigma_sec: 2 } }, store: { mirrors: ['c'], cache_dir: null } });
    expect(out.analysis.smoothing).toEqual({ method: 'gaussian', sigma_sec: 2, width_sec: 3 });
    expect(out.store).toEqual({ cache_dir: null, mirrors: ['c'], offline: false });
    expect(base.store.mirrors).toEqual(['a', 'b']);
  });

  it('validates the merged result', () => {
    expect(() => applyOverrides(DEFAULT_CONFIG, { runtime: { workers: 0 } }, '--set')).toThrow(
      /Invalid settings in --set:\n {2}runtime\.workers: expected an integer in 1\.\.64, got 0/,
    );
  });
});

describe('validateAnalysisSettings', () => {
  it('accepts the default analysis block and rejects a partial one, naming the missing field', () => {
    expect(validateAnalysisSettings(DEFAULT_CONFIG.analysis)).toEqual(DEFAULT_CONFIG.analysis);
    const { topk: _, ...partial } = DEFAULT_CONFIG.analysis;
    expect(() => validateAnalysisSettings(partial)).toThrow(/topk: expected an integer in 1\.\.1000, got nothing \(the field is missing\)/);
  });
});
