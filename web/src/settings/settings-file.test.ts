import { describe, expect, it } from 'vitest';
import { isActionLensError } from '../../../src/core/errors.js';
import { DEFAULT_CONFIG } from '../../../src/core/settings/defaults.js';
import { validateConfig } from '../../../src/core/settings/validate.js';
import { formatForFileName, parseSettingsText, serializeSettings } from './settings-codec.js';
import { resolveSettingsData, type SettingsContext, type SettingsFile } from './settings-file.js';

const defaults: SettingsFile = {
  model: 'movinet-a0-stream-k600',
  analysis: structuredClone(DEFAULT_CONFIG.analysis) as SettingsFile['analysis'],
  runtime: { execution_providers: ['cpu'], precision: 'fp32' },
};
const ctx: SettingsContext = { defaults, modelIds: ['movinet-a0-stream-k600', 'tsn-r50-k400'], providers: ['cpu', 'cuda'] };

function errorOf(fn: () => unknown): { code: string; message: string; hint?: string } {
  try {
    fn();
  } catch (e) {
    if (isActionLensError(e)) return { code: e.code, message: e.message, hint: e.hint };
    throw e;
  }
  throw new Error('expected an error');
}

describe('settings file: serialize and parse', () => {
  const file: SettingsFile = {
    model: 'tsn-r50-k400',
    analysis: { ...defaults.analysis, topk: 3, sample_fps: 'all', smoothing: { method: 'moving_average', sigma_sec: 1, width_sec: 2 } },
    runtime: { execution_providers: ['cuda', 'cpu'], precision: 'int8' },
  };

  for (const format of ['yaml', 'json'] as const) {
    it(`round-trips through ${format}`, () => {
      const text = serializeSettings(file, format);
      const data = parseSettingsText(text, `settings.${format}`);
      expect(resolveSettingsData(data, ctx, 'settings')).toEqual(file);
    });
  }

  it('writes a file the CLI config loader accepts as it is', () => {
    for (const format of ['yaml', 'json'] as const) {
      const data = parseSettingsText(serializeSettings(file, format), `s.${format}`);
      const config = validateConfig(data, 's');
      expect(config.model).toBe(file.model);
      expect(config.analysis).toEqual(file.analysis);
      expect(config.runtime.execution_providers).toEqual(['cuda', 'cpu']);
      expect(config.runtime.precision).toBe('int8');
    }
  });

  it('writes runtime.precision in YAML', () => {
    expect(serializeSettings(file, 'yaml')).toMatch(/^runtime:\n {2}execution_providers:\n(?: {4}- \w+\n)+ {2}precision: int8$/m);
  });

  it('keeps null sample_fps as null in YAML, and starts with a comment', () => {
    const text = serializeSettings(defaults, 'yaml');
    expect(text.startsWith('#')).toBe(true);
    expect(text).toMatch(/^ {2}sample_fps: null$/m);
  });

  it('knows formats by extension, case-insensitively', () => {
    expect(formatForFileName('A.YML')).toBe('yaml');
    expect(formatForFileName('a.yaml')).toBe('yaml');
    expect(formatForFileName('a.json')).toBe('json');
    expect(formatForFileName('a.txt')).toBeNull();
  });

  it('names the file and the syntax problem', () => {
    const bad = errorOf(() => parseSettingsText('{"model": ', 'mine.json'));
    expect(bad.code).toBe('AL_ERR_CONFIG_READ');
    expect(bad.message).toMatch(/^mine\.json is not valid JSON/);
    expect(errorOf(() => parseSettingsText('a: [1, 2', 'mine.yaml')).message).toMatch(/^mine\.yaml is not valid YAML/);
    expect(errorOf(() => parseSettingsText('  \n', 'mine.yaml')).message).toBe('mine.yaml is empty.');
    expect(errorOf(() => parseSettingsText('x', 'movie.mp4')).message).toMatch(/not a settings file/);
  });
});

describe('settings file: checks', () => {
  it('fills fields the file leaves out from the defaults', () => {
    const r = resolveSettingsData({ analysis: { topk: 2 } }, ctx, 'f');
    expect(r.model).toBe(defaults.model);
    expect(r.analysis).toEqual({ ...defaults.analysis, topk: 2 });
    expect(r.runtime.execution_providers).toEqual(['cpu']);
    expect(r.runtime.precision).toBe('fp32');
  });

  it('gives a file saved before precision existed the default precision', () => {
    const old = { model: 'tsn-r50-k400', analysis: { topk: 3 }, runtime: { execution_providers: ['cuda'] } };
    expect(resolveSettingsData(old, ctx, 'old.yaml').runtime).toEqual({ execution_providers: ['cuda'], precision: 'fp32' });
    const int8Server: SettingsContext = { ...ctx, defaults: { ...defaults, runtime: { execution_providers: ['cpu'], precision: 'int8' } } };
    expect(resolveSettingsData(old, int8Server, 'old.yaml').runtime.precision).toBe('int8');
    expect(resolveSettingsData({ runtime: { precision: 'fp32' } }, int8Server, 'f').runtime.precision).toBe('fp32');
  });

  it('refuses a precision the config does not know, naming the allowed ones', () => {
    const e = errorOf(() => resolveSettingsData({ runtime: { precision: 'int4' } }, ctx, 'mine.yaml'));
    expect(e.code).toBe('AL_ERR_INVALID_SETTINGS');
    expect(e.message).toMatch(/runtime\.precision: expected one of fp32 \| int8, got "int4"/);
  });

  it('lists every bad field with its allowed range, like the CLI', () => {
    const e = errorOf(() => resolveSettingsData({ analysis: { topk: 0, threshold: 2 } }, ctx, 'mine.yaml'));
    expect(e.code).toBe('AL_ERR_INVALID_SETTINGS');
    expect(e.message).toMatch(/mine\.yaml/);
    expect(e.message).toMatch(/analysis\.topk: expected an integer in 1\.\.1000, got 0/);
    expect(e.message).toMatch(/analysis\.threshold: expected a number in 0\.\.1, got 2/);
  });

  it('refuses unknown keys, naming the allowed ones', () => {
    const e = errorOf(() => resolveSettingsData({ analysis: { top_k: 3 } }, ctx, 'f'));
    expect(e.message).toMatch(/analysis\.top_k: unknown field; allowed here: topk/);
  });

  it('accepts a whole app config file, keeping only what the page sets (no calibration paths)', () => {
    const app = structuredClone(DEFAULT_CONFIG);
    const r = resolveSettingsData(
      { ...app, model: 'tsn-r50-k400', runtime: { ...app.runtime, precision: 'int8', calibration: ['/videos/ref.mp4'] } },
      ctx,
      'app.yaml',
    );
    expect(r.model).toBe('tsn-r50-k400');
    expect(r.runtime).toEqual({ execution_providers: ['cpu'], precision: 'int8' });
  });

  it('refuses a model or a provider this server does not offer', () => {
    const m = errorOf(() => resolveSettingsData({ model: 'nope' }, ctx, 'f'));
    expect(m.code).toBe('AL_ERR_UNKNOWN_MODEL');
    expect(m.hint).toMatch(/movinet-a0-stream-k600, tsn-r50-k400/);
    const p = errorOf(() => resolveSettingsData({ runtime: { execution_providers: ['dml'] } }, ctx, 'f'));
    expect(p.message).toMatch(/cannot use dml/);
    expect(p.hint).toBe('Use one or more of: cpu, cuda.');
  });

  it('refuses a file that is not a mapping', () => {
    expect(errorOf(() => resolveSettingsData([1, 2], ctx, 'f')).message).toMatch(/got a list/);
  });
});
