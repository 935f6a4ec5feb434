// Finds the ffmpeg and ffprobe executables: explicit option (config) first, then the environment
// (ACTIONLENS_FFMPEG / ACTIONLENS_FFPROBE), then PATH. Never downloads anything.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ActionLensError } from '../core/errors.js';

const execFileAsync = promisify(execFile);

export interface FfmpegLocateOptions {
  /** Config key `ffmpeg.path`: an explicit ffmpeg executable. */
  ffmpegPath?: string;
  /** Config key `ffmpeg.probePath`: an explicit ffprobe executable. */
  ffprobePath?: string;
  /** Environment to read (defaults to process.env); tests pass their own. */
  env?: NodeJS.ProcessEnv;
}

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  /** Where each was found: 'option' | 'env' | 'path'. */
  source: { ffmpeg: ToolSource; ffprobe: ToolSource };
}

export type ToolSource = 'option' | 'env' | 'path';

export const FFMPEG_ENV = 'ACTIONLENS_FFMPEG';
export const FFPROBE_ENV = 'ACTIONLENS_FFPROBE';

export const FFMPEG_INSTALL_HINT =
  'Install ffmpeg (it includes ffprobe): Debian/Ubuntu `sudo apt-get install ffmpeg`, ' +
  'macOS `brew install ffmpeg`, Windows `winget install ffmpeg` (or a build from ffmpeg.org/download.html). ' +
  `Or point actionlens at it with the config keys ffmpeg.path / ffmpeg.probePath or the env vars ${FFMPEG_ENV} / ${FFPROBE_ENV}.`;

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up in the PATH directories (with PATHEXT suffixes on Windows). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => d.length > 0);
  const suffixes = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of dirs) {
    for (const suffix of suffixes) {
      const candidate = path.join(dir, name + suffix.toLowerCase());
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function locateOne(
  name: 'ffmpeg' | 'ffprobe',
  explicit: string | undefined,
  envVar: string,
  env: NodeJS.ProcessEnv,
): { file: string; source: ToolSource } {
  const configKey = name === 'ffmpeg' ? 'ffmpeg.path' : 'ffmpeg.probePath';
  if (explicit) {
    if (isExecutableFile(explicit)) return { file: explicit, source: 'option' };
    throw new ActionLensError(
      'AL_ERR_FFMPEG_NOT_FOUND',
      `The configured ${name} (${configKey} = '${explicit}') is not an executable file.`,
      { hint: `Fix ${configKey} or remove it to search ${envVar} and PATH. ${FFMPEG_INSTALL_HINT}` },
    );
  }
  const fromEnv = env[envVar];
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return { file: fromEnv, source: 'env' };
    throw new ActionLensError(
      'AL_ERR_FFMPEG_NOT_FOUND',
      `${envVar} = '${fromEnv}' is not an executable ${name} file.`,
      { hint: `Fix or unset ${envVar}. ${FFMPEG_INSTALL_HINT}` },
    );
  }
  const onPath = findOnPath(name, env);
  if (onPath) return { file: onPath, source: 'path' };
  throw new ActionLensError('AL_ERR_FFMPEG_NOT_FOUND', `${name} was not found on PATH, in ${envVar} or in ${configKey}.`, {
    hint: FFMPEG_INSTALL_HINT,
  });
}

/** Resolves both tools; throws AL_ERR_FFMPEG_NOT_FOUND with install instructions when one is missing. */
export function locateFfmpeg(options: FfmpegLocateOptions = {}): FfmpegTools {
  const env = options.env ?? process.env;
  const ffmpeg = locateOne('ffmpeg', options.ffmpegPath, FFMPEG_ENV, env);
  const ffprobe = locateOne('ffprobe', options.ffprobePath, FFPROBE_ENV, env);
  return { ffmpeg: ffmpeg.file, ffprobe: ffprobe.file, source: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source } };
}

/** "5.1.9-0+deb12u1" from the first line of `ffmpeg -version` ("ffmpeg version 5.1.9-0+deb12u1 Copyright ..."). */
export function parseFfmpegVersion(versionOutput: string): string | undefined {
  const match = /^ff(?:mpeg|probe) version (\S+)/m.exec(versionOutput);
  return match?.[1];
}

const versionCache = new Map<string, string>();

/** The version string of an ffmpeg (or ffprobe) executable, for the result document's `environment`. */
export async function ffmpegVersion(executable: string): Promise<string> {
  const cached = versionCache.get(executable);
  if (cached) return cached;
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(executable, ['-hide_banner', '-version'], { timeout: 10_000 }));
  } catch (err) {
    throw new ActionLensError('AL_ERR_FFMPEG_NOT_FOUND', `Running '${executable} -version' failed: ${(err as Error).message}`, {
      hint: FFMPEG_INSTALL_HINT,
      cause: err,
    });
  }
  const version = parseFfmpegVersion(stdout) ?? stdout.split('\n')[0].trim();
  versionCache.set(executable, version);
  return version;
}
