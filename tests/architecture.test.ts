// Which folder may import which: the data flows one way (video/models/runtime -> app -> cli/server)
// and src/core stays platform-free so the same code runs in the browser.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(process.cwd(), 'src');

/** folder -> folders of src/ it may import from (itself always allowed). */
const ALLOWED: Record<string, string[]> = {
  core: [],
  io: ['core'], // Node file helpers (atomic writes, hashing) shared by the Node layers
  video: ['core', 'io'],
  runtime: ['core', 'io'],
  models: ['core', 'io'],
  config: ['core', 'io'],
  app: ['core', 'io', 'video', 'runtime', 'models', 'config'],
  cli: ['core', 'io', 'video', 'runtime', 'models', 'config', 'app', 'server'],
  server: ['core', 'io', 'video', 'runtime', 'models', 'config', 'app'],
};
/** Bare packages core may use: pure JS that also runs in a browser. */
const CORE_PACKAGES = new Set(['zod']);

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (/\.tsx?$/.test(p) && !/\.test\.tsx?$/.test(p)) yield p;
  }
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) found.push((m[1] ?? m[2])!);
  return found;
}

describe('import rules', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const rel = relative(SRC, file);
    const top = rel.split(/[\\/]/)[0]!;
    if (!(top in ALLOWED)) continue; // src/index.ts and friends re-export everything
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) {
        const target = relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0]!;
        if (target !== top && !ALLOWED[top]!.includes(target)) violations.push(`${rel}: disallowed import ${spec} (${top} -> ${target})`);
      } else if (top === 'core') {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (spec.startsWith('node:') || !CORE_PACKAGES.has(pkg)) violations.push(`${rel}: core must stay platform-free, imports ${spec}`);
      }
    }
  }
  it('every import follows the folder rules', () => {
    expect(violations).toEqual([]);
  });
});

describe('the web page', () => {
  // The page runs in browsers: from the project's sources it may use only the platform-free core.
  const WEB = resolve(process.cwd(), 'web', 'src');
  const violations: string[] = [];
  for (const file of sourceFiles(WEB)) {
    for (const spec of importsOf(file)) {
      if (spec.startsWith('node:')) violations.push(`${relative(WEB, file)}: imports ${spec}`);
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      const inSrc = relative(SRC, target);
      if (!inSrc.startsWith('..') && inSrc.split(/[\\/]/)[0] !== 'core') violations.push(`${relative(WEB, file)}: imports ${spec} (only src/core may be used)`);
    }
  }
  it('imports only src/core and browser packages', () => {
    expect(violations).toEqual([]);
  });
});
