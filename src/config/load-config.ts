import { existsSync } from 'node:fs';
import { ActionLensError } from '../core/errors.js';
import { DEFAULT_CONFIG } from '../core/settings/defaults.js';
import type { AppConfig } from '../core/settings/schema.js';
import { applyConfigData, applyOverrides, type ConfigOverrides } from '../core/settings/validate.js';
import { defaultConfigPath, shippedConfigPath } from './package-paths.js';
import { readConfigFile } from './read-config-file.js';

/** Reads one YAML or JSON config file and lays it over the built-in defaults. */
export async function loadConfig(file: string): Promise<AppConfig> {
  return applyConfigData(DEFAULT_CONFIG, await readConfigFile(file), file);
}

export interface ResolveConfigOptions {
  /** --config: must exist. Without it, the user's file at defaultConfigPath() is used when present. */
  configPath?: string;
  /** CLI overrides (--topk 3 and the like), applied last. */
  overrides?: ConfigOverrides;
  /** Environment for defaultConfigPath() (tests pass their own). */
  env?: Record<string, string | undefined>;
  /** Set false to skip the shipped configs/app.yaml layer. */
  useShippedConfig?: boolean;
}

export interface ResolvedConfig {
  config: AppConfig;
  /** The layers applied, in order: "defaults", file paths, "overrides". */
  layers: string[];
}

/**
 * The layered load: built-in defaults <- configs/app.yaml shipped with the package <- the user's
 * file (--config, else the default path if it exists) <- CLI overrides. Each layer is validated as
 * it is applied, so an error names the layer that caused it.
 */
export async function resolveConfig(options: ResolveConfigOptions = {}): Promise<ResolvedConfig> {
  let config = DEFAULT_CONFIG;
  const layers = ['defaults'];
  const apply = async (file: string): Promise<void> => {
    config = applyConfigData(config, await readConfigFile(file), file);
    layers.push(file);
  };

  const shipped = options.useShippedConfig === false ? null : shippedConfigPath();
  if (shipped) await apply(shipped);

  if (options.configPath !== undefined) {
    if (!existsSync(options.configPath)) {
      throw new ActionLensError('AL_ERR_CONFIG_READ', `Config file ${options.configPath} does not exist.`, {
        hint: 'Check the path given to --config, or leave it out to use the defaults.',
      });
    }
    await apply(options.configPath);
  } else {
    const userFile = defaultConfigPath(options.env);
    if (existsSync(userFile)) await apply(userFile);
  }

  if (options.overrides !== undefined) {
    config = applyOverrides(config, options.overrides, 'command-line overrides');
    layers.push('overrides');
  }
  return { config, layers };
}
