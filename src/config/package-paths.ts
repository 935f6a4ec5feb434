import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The actionlens package root: the nearest folder above this module whose package.json is named
 * "actionlens". Works from src/config (tests) and dist/config (installed), wherever installed.
 * null when the module was bundled away from its package (e.g. a browser build).
 */
export function packageRoot(fromUrl: string = import.meta.url): string | null {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'actionlens') return dir;
      } catch {
        // an unreadable package.json above us is not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** configs/app.yaml shipped with the package (the defaults with a comment per key), or null. */
export function shippedConfigPath(): string | null {
  const root = packageRoot();
  const file = root ? path.join(root, 'configs', 'app.yaml') : null;
  return file && existsSync(file) ? file : null;
}

/**
 * Where a user's own config lives when --config is not given:
 * $XDG_CONFIG_HOME/actionlens/config.yaml (else ~/.config/...) on Linux and macOS,
 * %APPDATA%\actionlens\config.yaml on Windows.
 */
export function defaultConfigPath(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'actionlens', 'config.yaml');
  }
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(base, 'actionlens', 'config.yaml');
}
