import { ActionLensError } from '../errors.js';
import { deepMerge, isPlainObject, type DeepPartial } from './deep-merge.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { formatIssues } from './format-issues.js';
import { AnalysisSettingsSchema, AppConfigSchema, type AnalysisSettings, type AppConfig } from './schema.js';

export type ConfigOverrides = DeepPartial<AppConfig>;

/**
 * Fills defaults and validates, in one pure step: returns a new AppConfig and never changes
 * `input`. Throws AL_ERR_INVALID_SETTINGS listing every bad field with its value and allowed range.
 * `source` names where the input came from (a file path, "--set") for the message.
 */
export function validateConfig(input: unknown, source?: string): AppConfig {
  return applyConfigData(DEFAULT_CONFIG, input, source);
}

/** Lays `overrides` over `config` (deep merge: objects merge, arrays and scalars replace), then validates. */
export function applyOverrides(config: AppConfig, overrides: ConfigOverrides, source?: string): AppConfig {
  return applyConfigData(config, overrides, source);
}

/** applyOverrides for data not yet known to have the right shape, e.g. a parsed config file. */
export function applyConfigData(config: AppConfig, overrides: unknown, source?: string): AppConfig {
  if (overrides !== undefined && overrides !== null && !isPlainObject(overrides)) {
    throw new ActionLensError(
      'AL_ERR_INVALID_SETTINGS',
      `${source ? `${source}: ` : ''}expected a mapping of settings (e.g. "analysis: {topk: 5}"), got ${Array.isArray(overrides) ? 'a list' : typeof overrides}.`,
    );
  }
  const merged = deepMerge(config, overrides ?? undefined);
  const parsed = AppConfigSchema.safeParse(merged, { reportInput: true });
  if (parsed.success) return parsed.data;
  const lines = formatIssues(parsed.error.issues, 'config', (path) => allowedKeysAt(DEFAULT_CONFIG, path));
  throw new ActionLensError(
    'AL_ERR_INVALID_SETTINGS',
    `Invalid settings${source ? ` in ${source}` : ''}:\n  ${lines.join('\n  ')}`,
    { hint: 'Fix the fields listed above; configs/app.yaml documents every key and its default.' },
  );
}

/** Validates analysis settings alone (e.g. read back from a result document). */
export function validateAnalysisSettings(input: unknown): AnalysisSettings {
  const parsed = AnalysisSettingsSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  const lines = formatIssues(parsed.error.issues, 'analysis', (path) => allowedKeysAt(DEFAULT_CONFIG.analysis, path));
  throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `Invalid analysis settings:\n  ${lines.join('\n  ')}`);
}

function allowedKeysAt(root: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let node = root;
  for (const key of path) node = isPlainObject(node) ? node[String(key)] : undefined;
  return isPlainObject(node) ? Object.keys(node) : undefined;
}
