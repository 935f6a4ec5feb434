import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath, packageRoot } from '../../src/config/package-paths.js';

describe('packageRoot', () => {
  it('finds the actionlens package from a module in src/ and from one in dist/', () => {
    const root = path.resolve('.');
    expect(packageRoot()).toBe(root);
    expect(packageRoot(pathToFileURL(path.join(root, 'dist/config/package-paths.js')).href)).toBe(root);
  });

  it('returns null outside any actionlens package', () => {
    expect(packageRoot(pathToFileURL('/usr/lib/x.js').href)).toBeNull();
  });
});

describe('defaultConfigPath', () => {
  it('follows XDG on Linux and macOS, ignoring a relative XDG_CONFIG_HOME', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u')).toBe('/cfg/actionlens/config.yaml');
    expect(defaultConfigPath({}, 'darwin', '/Users/u')).toBe('/Users/u/.config/actionlens/config.yaml');
    expect(defaultConfigPath({ XDG_CONFIG_HOME: 'rel' }, 'linux', '/home/u')).toBe('/home/u/.config/actionlens/config.yaml');
  });

  it('uses %APPDATA% on Windows', () => {
    expect(defaultConfigPath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\actionlens\\config.yaml',
    );
  });
});
