// Where the store keeps its files, and the layout inside:
//   <cache>/artifacts/<sha256 | sha256-prefix-XXXXXXXX>/<file_name>   (+ <file_name>.meta.json)
//   <cache>/onnx/<artifact sha256>-<converter version>.onnx           (+ .onnx.meta.json)
import { mkdir, access, constants } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ActionLensError } from '../../core/errors.js';
import type { ModelSourceSpec } from '../spec.js';

export interface CacheDirOptions {
  /** The config value; wins over everything else. */
  cacheDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  homeDir?: string;
}

/**
 * The cache directory: the config value, else $XDG_CACHE_HOME/actionlens, else the platform's
 * usual cache place (~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows).
 */
export function resolveCacheDir(options: CacheDirOptions = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (options.cacheDir) return p.resolve(options.cacheDir);
  if (env.XDG_CACHE_HOME && p.isAbsolute(env.XDG_CACHE_HOME)) return p.join(env.XDG_CACHE_HOME, 'actionlens');
  const home = options.homeDir ?? os.homedir();
  if (platform === 'win32') {
    const localAppData = env.LOCALAPPDATA ?? p.join(home, 'AppData', 'Local');
    return p.join(localAppData, 'actionlens', 'Cache');
  }
  if (platform === 'darwin') return p.join(home, 'Library', 'Caches', 'actionlens');
  return p.join(home, '.cache', 'actionlens');
}

/** The cache folder name for an artifact: its full sha256, or the known prefix (MMAction2). */
export function artifactKey(source: Pick<ModelSourceSpec, 'sha256' | 'sha256_prefix'>): string {
  if (source.sha256) return source.sha256;
  return `sha256-prefix-${source.sha256_prefix}`;
}

export function artifactPath(cacheDir: string, source: ModelSourceSpec): string {
  return path.join(cacheDir, 'artifacts', artifactKey(source), source.file_name);
}

export function onnxDir(cacheDir: string): string {
  return path.join(cacheDir, 'onnx');
}

export function onnxPath(cacheDir: string, artifactSha256: string, converterVersion: string): string {
  return path.join(onnxDir(cacheDir), `${artifactSha256}-${converterVersion}.onnx`);
}

/** Creates `dir` if needed and checks it can be written; otherwise AL_ERR_CACHE_UNWRITABLE. */
export async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (cause) {
    throw cacheUnwritable(dir, cause);
  }
}

export function cacheUnwritable(where: string, cause: unknown): ActionLensError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new ActionLensError('AL_ERR_CACHE_UNWRITABLE', `Cannot write to the cache at ${where} (${code}).`, {
    hint: 'Set a writable cache folder with the cacheDir config value (or XDG_CACHE_HOME), or fix the folder permissions.',
    cause,
  });
}
