// Runs the built CLI (dist/cli/main.js) as a user would: a child process, a temp cache dir, the
// local model mirror, no network, and no user config file from the machine it runs on.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SHARED = path.resolve(process.cwd(), '../shared');
export const MODEL_MIRROR = path.join(SHARED, 'models');
export const CLI = path.resolve(process.cwd(), 'dist/cli/main.js');

export const media = (name: string): string => path.join(SHARED, 'media', name);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  /** Temp folder for outputs and generated inputs; removed by cleanup(). */
  dir: string;
  cacheDir: string;
  /** A path inside `dir`. */
  file(name: string): string;
  /**
   * `actionlens infer` with this sandbox's cache dir, the shared model mirror and --log-level warn
   * (a later --log-level wins; --mirror adds up, so another mirror replaces the shared one here).
   */
  infer(args: string[], where?: { cacheDir?: string; mirror?: string }): Promise<CliResult>;
  cleanup(): void;
}

export function assertCliBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests.`);
}

export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 90_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: process.cwd(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function makeCliSandbox(prefix: string): CliSandbox {
  const dir = mkdtempSync(path.join(os.tmpdir(), `actionlens-${prefix}-`));
  const cacheDir = path.join(dir, 'cache');
  const configHome = path.join(dir, 'xdg-config'); // empty: no user config file applies
  mkdirSync(configHome);
  return {
    dir,
    cacheDir,
    file: (name) => path.join(dir, name),
    infer: (args, where = {}) =>
      runCli(['infer', '--cache-dir', where.cacheDir ?? cacheDir, '--mirror', where.mirror ?? MODEL_MIRROR, '--log-level', 'warn', '--no-progress', ...args], {
        XDG_CONFIG_HOME: configHome,
      }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Entries of the result cache folder (empty when it does not exist). */
export function resultCacheFiles(cacheDir: string): string[] {
  const dir = path.join(cacheDir, 'results');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f)) : [];
}

/** A stack frame line as Node prints them ("    at fn (file.js:1:2)"). */
export const STACK_FRAME = /(?:^|\\n)\s+at \S.*?:\d+:\d+\)?/m;
