// The settings file the page saves and loads: { model, analysis, runtime: { execution_providers,
// precision } }, a subset of the app config, so the same file works with the CLI's --config. Loading
// accepts a whole app config too (keys the page does not use, e.g. runtime.calibration, are checked,
// then ignored: calibration videos are the server's own files).
import { ActionLensError } from '../../../src/core/errors.js';
import { DEFAULT_CONFIG } from '../../../src/core/settings/defaults.js';
import type { AnalysisSettings, AppConfig, RuntimeSettings } from '../../../src/core/settings/schema.js';
import { applyConfigData } from '../../../src/core/settings/validate.js';
import type { ExecutionProvider } from './devices.js';

export interface SettingsFile {
  model: string;
  analysis: AnalysisSettings;
  runtime: { execution_providers: ExecutionProvider[]; precision: Precision };
}

export type Precision = RuntimeSettings['precision'];

export interface SettingsContext {
  /** What a field the file leaves out falls back to (the server's defaults or the current settings). */
  defaults: SettingsFile;
  /** Models the server offers; empty = not known yet (no check). */
  modelIds: readonly string[];
  /** Execution providers the server offers; empty = not known (no check). */
  providers: readonly ExecutionProvider[];
}

/** The file's content in a fixed key order, so saved files diff cleanly. */
export function settingsFileData(file: SettingsFile): SettingsFile {
  const a = file.analysis;
  return {
    model: file.model,
    analysis: {
      topk: a.topk,
      threshold: a.threshold,
      sample_fps: a.sample_fps,
      window_sec: a.window_sec,
      smoothing: { method: a.smoothing.method, sigma_sec: a.smoothing.sigma_sec, width_sec: a.smoothing.width_sec },
      aggregate: a.aggregate,
      events: { enter_score: a.events.enter_score, exit_score: a.events.exit_score, min_duration_sec: a.events.min_duration_sec },
      clip_protocol: a.clip_protocol,
    },
    runtime: { execution_providers: [...file.runtime.execution_providers], precision: file.runtime.precision },
  };
}

/**
 * Parsed file data -> settings, with the same rules and messages as the CLI's config loading
 * (strict keys, ranges), then the checks only the server's lists allow: the model and the
 * execution providers must be ones this server offers. Throws ActionLensError.
 */
export function resolveSettingsData(data: unknown, ctx: SettingsContext, source: string): SettingsFile {
  const base: AppConfig = {
    ...DEFAULT_CONFIG,
    model: ctx.defaults.model,
    analysis: ctx.defaults.analysis,
    // A file without runtime.precision (saved by an older page) gets the default one.
    runtime: { ...DEFAULT_CONFIG.runtime, execution_providers: ctx.defaults.runtime.execution_providers, precision: ctx.defaults.runtime.precision },
  };
  const config = applyConfigData(base, data, source);

  if (ctx.modelIds.length > 0 && !ctx.modelIds.includes(config.model)) {
    const shown = ctx.modelIds.slice(0, 8).join(', ');
    throw new ActionLensError('AL_ERR_UNKNOWN_MODEL', `${source}: model "${config.model}" is not offered by this server.`, {
      hint: `Set model to one of: ${shown}${ctx.modelIds.length > 8 ? `, ... (${ctx.modelIds.length} in all)` : ''}.`,
    });
  }
  if (ctx.providers.length > 0) {
    const unknown = config.runtime.execution_providers.filter((p) => !ctx.providers.includes(p));
    if (unknown.length > 0) {
      throw new ActionLensError(
        'AL_ERR_INVALID_SETTINGS',
        `${source}: runtime.execution_providers: this server cannot use ${unknown.join(', ')}.`,
        { hint: `Use one or more of: ${ctx.providers.join(', ')}.` },
      );
    }
  }
  return settingsFileData({
    model: config.model,
    analysis: config.analysis,
    runtime: { execution_providers: config.runtime.execution_providers, precision: config.runtime.precision },
  });
}
