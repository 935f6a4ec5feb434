import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, resolveConfig } from '../../src/config/load-config.js';
import { readConfigFile } from '../../src/config/read-config-file.js';
import { shippedConfigPath } from '../../src/config/package-paths.js';
import { DEFAULT_CONFIG } from '../../src/core/settings/defaults.js';
import { rejection } from '../helpers/rejection.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'actionlens-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

describe('configs/app.yaml', () => {
  it('is found from the module location and holds exactly the built-in defaults', async () => {
    const shipped = shippedConfigPath();
    expect(shipped).toBe(path.resolve('configs/app.yaml'));
    expect(await readConfigFile(shipped!)).toEqual(DEFAULT_CONFIG);
  });
});

describe('loadConfig', () => {
  it('reads YAML and JSON and fills defaults for what they leave out', async () => {
    const y = await loadConfig(file('a.yaml', 'analysis:\n  topk: 3\n  sample_fps: all\nruntime:\n  threads: 2\n'));
    expect(y.analysis.topk).toBe(3);
    expect(y.analysis.sample_fps).toBe('all');
    expect(y.runtime).toEqual({ ...DEFAULT_CONFIG.runtime, threads: 2 });
    expect(y.analysis.smoothing).toEqual(DEFAULT_CONFIG.analysis.smoothing);
    const j = await loadConfig(file('b.json', '{"analysis": {"smoothing": {"method": "none"}}, "store": {"offline": true}}'));
    expect(j.analysis.smoothing.method).toBe('none');
    expect(j.store.offline).toBe(true);
  });

  it('detects the format from the content when the extension says nothing', async () => {
    expect((await loadConfig(file('c.conf', '  {"model": "tsn-r50"}'))).model).toBe('tsn-r50');
    expect((await loadConfig(file('d.conf', 'model: x3d-s\n'))).model).toBe('x3d-s');
  });

  it('treats an empty or comment-only file as all defaults', async () => {
    expect(await loadConfig(file('empty.yaml', ''))).toEqual(DEFAULT_CONFIG);
    expect(await loadConfig(file('comments.yaml', '# nothing yet\n'))).toEqual(DEFAULT_CONFIG);
  });

  it('reports a YAML syntax error with the file, line and column', async () => {
    const p = file('bad.yaml', 'analysis:\n  topk: 3\n  window_sec: [1\nlog_level: info\n');
    const e = await rejection(loadConfig(p));
    expect(e.code).toBe('AL_ERR_CONFIG_READ');
    expect(e.message).toMatch(new RegExp(`^Cannot parse ${p} as YAML at line 4, column 1: `));
  });

  it('reports duplicate YAML keys as a parse error', async () => {
    const e = await rejection(loadConfig(file('dup.yaml', 'model: a\nmodel: b\n')));
    expect(e.code).toBe('AL_ERR_CONFIG_READ');
    expect(e.message).toMatch(/line 2, column 1: .*[Dd]uplicate|unique/);
  });

  it('reports a JSON syntax error with the line and column', async () => {
    const p = file('bad.json', '{\n  "analysis": {\n    "topk": 3,\n  }\n}\n');
    const e = await rejection(loadConfig(p));
    expect(e.code).toBe('AL_ERR_CONFIG_READ');
    expect(e.message).toContain(`Cannot parse ${p} as JSON at line 4, column 3`);
  });

  it('names the file, the field, the value and the range for an invalid setting', async () => {
    const p = file('invalid.yaml', 'analysis:\n  topk: 0\n');
    const e = await rejection(loadConfig(p));
    expect(e.code).toBe('AL_ERR_INVALID_SETTINGS');
    expect(e.message).toContain(`Invalid settings in ${p}`);
    expect(e.message).toContain('analysis.topk: expected an integer in 1..1000, got 0');
  });

  it('rejects a file whose top level is not a mapping', async () => {
    const e = await rejection(loadConfig(file('list.yaml', '- a\n- b\n')));
    expect(e.code).toBe('AL_ERR_INVALID_SETTINGS');
    expect(e.message).toMatch(/list\.yaml: expected a mapping of settings.*got a list/);
  });

  it('fails with AL_ERR_CONFIG_READ for a missing file or a folder', async () => {
    expect((await rejection(loadConfig(path.join(dir, 'nope.yaml')))).message).toMatch(/Cannot read config file .*nope\.yaml: ENOENT/);
    expect((await rejection(loadConfig(dir))).message).toMatch(/is not a file/);
  });
});

describe('resolveConfig (layers)', () => {
  const noUserEnv = { XDG_CONFIG_HOME: path.join(dir, 'no-xdg') };

  it('defaults <- shipped app.yaml <- user file <- overrides, later wins', async () => {
    const user = file('user.yaml', 'analysis:\n  topk: 7\n  window_sec: 2\n');
    const r = await resolveConfig({ configPath: user, overrides: { analysis: { topk: 2 } }, env: noUserEnv });
    expect(r.layers).toEqual(['defaults', path.resolve('configs/app.yaml'), user, 'overrides']);
    expect(r.config.analysis.topk).toBe(2); // the override beats the user file
    expect(r.config.analysis.window_sec).toBe(2); // the user file beats the defaults
    expect(r.config.log_level).toBe('info');
  });

  it('uses $XDG_CONFIG_HOME/actionlens/config.yaml when no --config is given', async () => {
    file('xdg/actionlens/config.yaml', 'log_level: debug\n');
    const r = await resolveConfig({ env: { XDG_CONFIG_HOME: path.join(dir, 'xdg') }, useShippedConfig: false });
    expect(r.layers).toEqual(['defaults', path.join(dir, 'xdg/actionlens/config.yaml')]);
    expect(r.config.log_level).toBe('debug');
    expect((await resolveConfig({ env: noUserEnv, useShippedConfig: false })).config).toEqual(DEFAULT_CONFIG);
  });

  it('requires an explicit --config file to exist and names the layer of a bad override', async () => {
    const missing = await rejection(resolveConfig({ configPath: path.join(dir, 'missing.yaml'), env: noUserEnv }));
    expect(missing.code).toBe('AL_ERR_CONFIG_READ');
    expect(missing.message).toMatch(/missing\.yaml does not exist/);
    const bad = await rejection(resolveConfig({ overrides: { analysis: { threshold: 2 } }, env: noUserEnv }));
    expect(bad.message).toContain('Invalid settings in command-line overrides:');
    expect(bad.message).toContain('analysis.threshold: expected a number in 0..1, got 2');
  });
});
