import { describe, expect, it } from 'vitest';
import { artifactKey, resolveCacheDir } from '../../src/models/store/cache-dir.js';

describe('resolveCacheDir', () => {
  it('prefers the config value, then XDG_CACHE_HOME, then the platform default', () => {
    const env = { XDG_CACHE_HOME: '/xdg' };
    expect(resolveCacheDir({ cacheDir: '/cfg/cache', env, platform: 'linux', homeDir: '/home/u' })).toBe('/cfg/cache');
    expect(resolveCacheDir({ env, platform: 'linux', homeDir: '/home/u' })).toBe('/xdg/actionlens');
    expect(resolveCacheDir({ env: {}, platform: 'linux', homeDir: '/home/u' })).toBe('/home/u/.cache/actionlens');
    expect(resolveCacheDir({ env: {}, platform: 'darwin', homeDir: '/Users/u' })).toBe('/Users/u/Library/Caches/actionlens');
    expect(resolveCacheDir({ env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, platform: 'win32', homeDir: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Local\\actionlens\\Cache',
    );
  });

  it('ignores a relative XDG_CACHE_HOME, as the XDG spec says', () => {
    expect(resolveCacheDir({ env: { XDG_CACHE_HOME: 'rel' }, platform: 'linux', homeDir: '/home/u' })).toBe('/home/u/.cache/actionlens');
  });

  it('keys artifacts by full sha256, or by the known prefix', () => {
    expect(artifactKey({ sha256: 'a'.repeat(64) })).toBe('a'.repeat(64));
    expect(artifactKey({ sha256_prefix: '2692d16c' })).toBe('sha256-prefix-2692d16c');
  });
});
