// ensureArtifact without the network: cache hits, corruption, mirrors, offline mode, bad cache dirs.
import { copyFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { artifactPath } from '../../src/models/store/cache-dir.js';
import { ensureArtifact } from '../../src/models/store/ensure-artifact.js';
import { validateModelSpec } from '../../src/models/spec.js';
import { makeTempDir, movinetSpecAt, MOVINET_BYTES, MOVINET_FILE, recordingLogger, SHARED_MODELS } from './helpers.js';
import { serveBytes, startTestServer, type TestServer } from './test-server.js';
import { rejection } from '../helpers/rejection.js';

let cache: ReturnType<typeof makeTempDir>;
let server: TestServer;
beforeEach(async () => {
  cache = makeTempDir();
  server = await startTestServer({ '/m.tflite': serveBytes(MOVINET_BYTES) });
});
afterEach(async () => {
  await server.close();
  cache.cleanup();
});

const FAST = { retries: 1, retryDelayMs: 10 };

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('ensureArtifact from mirrors and cache', () => {
  it('takes the file from a mirror folder without touching the network', async () => {
    const spec = movinetSpecAt(server.url('/m.tflite'));
    const result = await ensureArtifact(spec, { cacheDir: cache.dir, mirrors: [SHARED_MODELS], ...FAST });
    expect(result).toEqual({ path: artifactPath(cache.dir, spec.source), sha256: spec.source.sha256, source: 'mirror' });
    expect(sha256Of(result.path)).toBe(spec.source.sha256);
    expect(server.requests).toHaveLength(0);
  });

  it('skips a mirror file with the wrong sha256, with a warning, and uses the next mirror', async () => {
    const bad = makeTempDir('actionlens-mirror-');
    try {
      const spec = movinetSpecAt(server.url('/m.tflite'));
      writeFileSync(path.join(bad.dir, spec.source.file_name), MOVINET_BYTES.subarray(0, 1000));
      const logger = recordingLogger();
      const result = await ensureArtifact(spec, { cacheDir: cache.dir, mirrors: [bad.dir, SHARED_MODELS], logger, ...FAST });
      expect(result.source).toBe('mirror');
      expect(sha256Of(result.path)).toBe(spec.source.sha256);
      const warning = logger.lines.find((l) => l.level === 'warn');
      expect(warning?.msg).toMatch(/wrong sha256/);
      expect(JSON.stringify(warning?.obj)).toContain(bad.dir);

      // With only the bad mirror, the file is downloaded instead.
      const other = makeTempDir();
      try {
        const downloaded = await ensureArtifact(spec, { cacheDir: other.dir, mirrors: [bad.dir], ...FAST });
        expect(downloaded.source).toBe('download');
        expect(server.requests).toHaveLength(1);
      } finally {
        other.cleanup();
      }
    } finally {
      bad.cleanup();
    }
  });

  it('serves a second call from the cache', async () => {
    const spec = movinetSpecAt(server.url('/m.tflite'));
    const first = await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST });
    const second = await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST });
    expect(first.source).toBe('download');
    expect(second).toEqual({ ...first, source: 'cache' });
    expect(server.requests).toHaveLength(1);
  });

  it('detects a changed cached file and fetches it again', async () => {
    const spec = movinetSpecAt(server.url('/m.tflite'));
    const { path: cached } = await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST });
    const bytes = readFileSync(cached);
    bytes[5000] ^= 0x01; // same size, new mtime
    writeFileSync(cached, bytes);
    const logger = recordingLogger();
    const again = await ensureArtifact(spec, { cacheDir: cache.dir, logger, ...FAST });
    expect(again.source).toBe('download');
    expect(sha256Of(again.path)).toBe(spec.source.sha256);
    expect(logger.lines.some((l) => l.level === 'warn' && l.msg?.includes('corrupt'))).toBe(true);
  });

  it('trusts an unchanged size+mtime without hashing, but fullVerify re-hashes', async () => {
    const spec = movinetSpecAt(server.url('/m.tflite'));
    const { path: cached } = await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST });
    const stamp = 1_700_000_000; // whole seconds: restored exactly below
    utimesSync(cached, stamp, stamp);
    expect((await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST })).source).toBe('cache'); // re-hashed, sidecar refreshed
    const bytes = readFileSync(cached);
    bytes[5000] ^= 0x01;
    writeFileSync(cached, bytes);
    utimesSync(cached, stamp, stamp); // a change the cheap check cannot see
    expect((await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST })).source).toBe('cache');
    const verified = await ensureArtifact(spec, { cacheDir: cache.dir, fullVerify: true, ...FAST });
    expect(verified.source).toBe('download');
    expect(sha256Of(verified.path)).toBe(spec.source.sha256);
  });

  it('adopts a correct file placed in the cache by hand (no sidecar yet)', async () => {
    const spec = movinetSpecAt(server.url('/m.tflite'));
    const target = artifactPath(cache.dir, spec.source);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(MOVINET_FILE, target);
    const result = await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST });
    expect(result.source).toBe('cache');
    expect(existsSync(`${target}.meta.json`)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('offline: true never uses the network and says how to get the file', async () => {
    const spec = movinetSpecAt(server.url('/m.tflite'));
    const error = await rejection(ensureArtifact(spec, { cacheDir: cache.dir, offline: true, ...FAST }));
    expect(error.code).toBe('AL_ERR_OFFLINE');
    expect(error.hint).toContain(spec.source.sha256!);
    expect(server.requests).toHaveLength(0);
    // ...while a mirror still works offline.
    const fromMirror = await ensureArtifact(spec, { cacheDir: cache.dir, offline: true, mirrors: [SHARED_MODELS] });
    expect(fromMirror.source).toBe('mirror');
  });

  it('accepts an MMAction2-style sha256 prefix and returns the full sha256', async () => {
    const prefix = movinetSpecAt(server.url('/m.tflite'));
    const spec = validateModelSpec({ ...prefix, source: { ...prefix.source, sha256: undefined, sha256_prefix: prefix.source.sha256!.slice(0, 8) } });
    const result = await ensureArtifact(spec, { cacheDir: cache.dir, mirrors: [SHARED_MODELS] });
    expect(result.sha256).toBe(prefix.source.sha256);
    expect(result.path).toContain(`sha256-prefix-${prefix.source.sha256!.slice(0, 8)}`);
    expect((await ensureArtifact(spec, { cacheDir: cache.dir })).source).toBe('cache');
  });

  it('reports a cache dir that cannot be created as AL_ERR_CACHE_UNWRITABLE', async () => {
    const blocker = path.join(cache.dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const spec = movinetSpecAt(server.url('/m.tflite'));
    const error = await rejection(ensureArtifact(spec, { cacheDir: path.join(blocker, 'cache'), ...FAST }));
    expect(error.code).toBe('AL_ERR_CACHE_UNWRITABLE');
    expect(error.message).toContain(blocker);
    expect(server.requests).toHaveLength(0);
  });
});
