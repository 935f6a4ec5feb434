import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { saveConfig } from '../../src/config/save-config.js';
import { DEFAULT_CONFIG } from '../../src/core/settings/defaults.js';
import { applyOverrides } from '../../src/core/settings/validate.js';
import type { AppConfig } from '../../src/core/settings/schema.js';
import { rejection } from '../helpers/rejection.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const custom = applyOverrides(DEFAULT_CONFIG, {
  model: 'tsn-r50-k400',
  analysis: { topk: 3, sample_fps: 'all', smoothing: { method: 'moving_average', width_sec: 2 } },
  store: { mirrors: ['https://mirror.example/actionlens/', '/srv/models'], cache_dir: '/var/cache/al' },
});

describe('saveConfig', () => {
  it.each(['saved.yaml', 'saved.yml', 'saved.json'])('round-trips through %s', async (name) => {
    const p = path.join(dir, name);
    await saveConfig(p, custom);
    expect(await loadConfig(p)).toEqual(custom);
    const text = readFileSync(p, 'utf8');
    if (name.endsWith('.json')) expect(JSON.parse(text)).toEqual(custom);
    else expect(text).toMatch(/^# actionlens config/);
  });

  it('replaces an existing file, keeps its permissions and leaves no temp file behind', async () => {
    const sub = path.join(dir, 'replace');
    mkdirSync(sub);
    const p = path.join(sub, 'config.yaml');
    writeFileSync(p, 'model: old\n');
    chmodSync(p, 0o600);
    await saveConfig(p, custom);
    expect((await loadConfig(p)).model).toBe('tsn-r50-k400');
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readdirSync(sub)).toEqual(['config.yaml']);
  });

  it('leaves an existing file untouched when the config is invalid', async () => {
    const p = path.join(dir, 'keep.yaml');
    writeFileSync(p, 'model: keep-me\n');
    const bad = { ...custom, analysis: { ...custom.analysis, topk: 0 } } as AppConfig;
    const e = await rejection(saveConfig(p, bad));
    expect(e.code).toBe('AL_ERR_INVALID_SETTINGS');
    expect(e.message).toContain('analysis.topk: expected an integer in 1..1000, got 0');
    expect(readFileSync(p, 'utf8')).toBe('model: keep-me\n');
  });

  it('fails cleanly when the rename cannot happen (target is a folder) or the folder is missing', async () => {
    const sub = path.join(dir, 'clash');
    mkdirSync(path.join(sub, 'config.yaml'), { recursive: true });
    const e = await rejection(saveConfig(path.join(sub, 'config.yaml'), custom));
    expect(e.code).toBe('AL_ERR_OUTPUT_UNWRITABLE');
    expect(readdirSync(sub)).toEqual(['config.yaml']); // temp file removed
    expect(statSync(path.join(sub, 'config.yaml')).isDirectory()).toBe(true);

    const missing = path.join(dir, 'no-such-dir', 'config.yaml');
    expect((await rejection(saveConfig(missing, custom))).message).toMatch(/Cannot write .*no-such-dir.*ENOENT/);
    expect(existsSync(path.dirname(missing))).toBe(false);
  });

  it('refuses an extension it cannot write, before touching the disk', async () => {
    const p = path.join(dir, 'config.toml');
    const e = await rejection(saveConfig(p, custom));
    expect(e.code).toBe('AL_ERR_OUTPUT_UNWRITABLE');
    expect(e.message).toContain('the extension ".toml" is not one of .yaml, .yml, .json');
    expect(existsSync(p)).toBe(false);
  });
});
