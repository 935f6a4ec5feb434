import { describe, expect, it } from 'vitest';
import { isActionLensError } from '../../../src/core/errors.js';
import { DEFAULT_CONFIG } from '../../../src/core/settings/defaults.js';
import { validateConfig } from '../../../src/core/settings/validate.js';
import { formatForFileName, parseSettingsText, serializeSettings } from './settings-codec.js';
import { resolveSettingsData, type SettingsContext, type SettingsFile } from './settings-file.js';

const defaults: SettingsFile = {
  model: 'movinet-a0-stream-k600',
  analysis: structuredClone(DEFAULT_CONFIG.analysis) as SettingsFile['analysis'],
  runtime: { execution_providers: ['cpu'] },
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
    runtime: { execution_providers: ['cuda', 'cpu'] },
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
    }
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

  it('accepts a whole app config file', () => {
    const r = resolveSettingsData({ ...structuredClone(DEFAULT_CONFIG), model: 'tsn-r50-k400' }, ctx, 'app.yaml');
    expect(r.model).toBe('tsn-r50-k400');
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
