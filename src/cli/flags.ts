// Command-line flags -> a config override object. Each flag parses its own value and says what
// was wrong with it; the merged config is then validated once by the settings schema.
import { InvalidArgumentError } from 'commander';
import type { ConfigOverrides } from '../core/settings/index.js';

export interface CommonFlags {
  config?: string;
  model?: string;
  threads?: number;
  device?: string[];
  precision?: 'fp32' | 'int8';
  calibration?: string[];
  cacheDir?: string;
  mirror?: string[];
  offline?: boolean;
  logLevel?: string;
  resultCache?: boolean;
}

export interface InferFlags extends CommonFlags {
  topk?: number;
  threshold?: number;
  sampleFps?: number | 'all';
  window?: number;
  smooth?: number;
  aggregate?: string;
  json?: string;
  csv?: string;
  saveConfig?: string;
  progress?: boolean;
}

export function parseNumber(flag: string, opts: { integer?: boolean; min?: number; max?: number } = {}) {
  return (text: string): number => {
    const n = Number(text);
    const range = `${opts.min ?? '-inf'}..${opts.max ?? 'inf'}`;
    if (text.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      throw new InvalidArgumentError(`${flag} expects ${opts.integer ? 'an integer' : 'a number'} in ${range}, got '${text}'.`);
    }
    return n;
  };
}

export function parseSampleFps(text: string): number | 'all' {
  if (text === 'all') return 'all';
  return parseNumber('--sample-fps', { min: 0.001, max: 1000 })(text);
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function commonOverrides(f: CommonFlags): ConfigOverrides {
  const o: ConfigOverrides = {};
  if (f.model !== undefined) o.model = f.model;
  if (f.logLevel !== undefined) o.log_level = f.logLevel as ConfigOverrides['log_level'];
  if (f.threads !== undefined || f.device !== undefined || f.precision !== undefined || f.calibration !== undefined) {
    o.runtime = {};
    if (f.threads !== undefined) o.runtime.threads = f.threads;
    if (f.device !== undefined) o.runtime.execution_providers = f.device.flatMap((d) => d.split(',')) as never;
    if (f.precision !== undefined) o.runtime.precision = f.precision;
    if (f.calibration !== undefined) o.runtime.calibration = f.calibration;
  }
  if (f.cacheDir !== undefined || f.mirror !== undefined || f.offline) {
    o.store = {};
    if (f.cacheDir !== undefined) o.store.cache_dir = f.cacheDir;
    if (f.mirror !== undefined) o.store.mirrors = f.mirror;
    if (f.offline) o.store.offline = true;
  }
  if (f.resultCache === false) o.result_cache = { enabled: false };
  return o;
}

export function inferOverrides(f: InferFlags): ConfigOverrides {
  const o = commonOverrides(f);
  const a: NonNullable<ConfigOverrides['analysis']> = {};
  if (f.topk !== undefined) a.topk = f.topk;
  if (f.threshold !== undefined) a.threshold = f.threshold;
  if (f.sampleFps !== undefined) a.sample_fps = f.sampleFps;
  if (f.window !== undefined) a.window_sec = f.window;
  if (f.smooth !== undefined) a.smoothing = f.smooth === 0 ? { method: 'none' } : { method: 'gaussian', sigma_sec: f.smooth };
  if (f.aggregate !== undefined) a.aggregate = f.aggregate as 'mean' | 'max';
  if (Object.keys(a).length > 0) o.analysis = a;
  return o;
}
