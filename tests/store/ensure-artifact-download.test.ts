// ensureArtifact over HTTP against a local server serving the real MoViNet TFLite file.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { artifactPath } from '../../src/models/store/cache-dir.js';
import { ensureArtifact } from '../../src/models/store/ensure-artifact.js';
import { makeTempDir, movinetSpecAt, MOVINET_BYTES, recordingLogger } from './helpers.js';
import { closedPort, dropAfter, firstThen, redirectTo, serveBytes, stallAfter, startTestServer, type Route, type TestServer } from './test-server.js';

const SIZE = MOVINET_BYTES.length;
const HALF = Math.floor(SIZE / 2);
const FAST = { retries: 3, retryDelayMs: 10, timeoutMs: 5000 };

let cache: ReturnType<typeof makeTempDir>;
let server: TestServer | undefined;
beforeEach(() => {
  cache = makeTempDir();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  cache.cleanup();
});

async function serve(routes: Record<string, Route>): Promise<TestServer> {
  server = await startTestServer(routes);
  return server;
}

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function expectError(promise: Promise<unknown>, code: string): Promise<ActionLensError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionLensError);
  expect((error as ActionLensError).code).toBe(code);
  return error as ActionLensError;
}

describe('ensureArtifact download', () => {
  it('downloads, verifies, reports progress up to the total, and caches under the sha256', async () => {
    const s = await serve({ '/m.tflite': serveBytes(MOVINET_BYTES) });
    const spec = movinetSpecAt(s.url('/m.tflite'));
    const progress: Array<[number, number | undefined]> = [];
    const result = await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST, onProgress: (r, t) => progress.push([r, t]) });

    expect(result.source).toBe('download');
    expect(result.sha256).toBe(spec.source.sha256);
    expect(result.path).toBe(path.join(cache.dir, 'artifacts', spec.source.sha256!, spec.source.file_name));
    expect(sha256Of(result.path)).toBe(spec.source.sha256);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual([SIZE, SIZE]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThan(progress[i - 1][0]);
    expect(existsSync(`${result.path}.part`)).toBe(false);
  });

  it('follows redirects (relative and absolute) and refuses endless ones', async () => {
    const s = await serve({
      '/hub': redirectTo('/kaggle', 302),
      '/kaggle': (req, res, i) => redirectTo(s.url('/files/m.tflite'), 307)(req, res, i),
      '/files/m.tflite': serveBytes(MOVINET_BYTES),
      '/loop': redirectTo('/loop', 301),
    });
    const result = await ensureArtifact(movinetSpecAt(s.url('/hub')), { cacheDir: cache.dir, ...FAST });
    expect(result.source).toBe('download');
    expect(s.requests.map((r) => r.path)).toEqual(['/hub', '/kaggle', '/files/m.tflite']);

    const other = makeTempDir();
    try {
      const error = await expectError(ensureArtifact(movinetSpecAt(s.url('/loop')), { cacheDir: other.dir, ...FAST, maxRedirects: 3 }), 'AL_ERR_DOWNLOAD_FAILED');
      expect(error.message).toMatch(/more than 3 redirects/);
      expect(s.requests.filter((r) => r.path === '/loop')).toHaveLength(4); // first + 3 redirects, no retries
    } finally {
      other.cleanup();
    }
  });

  it('resumes a dropped transfer with a Range request', async () => {
    const s = await serve({ '/m.tflite': firstThen(1, dropAfter(MOVINET_BYTES, HALF), serveBytes(MOVINET_BYTES)) });
    const progress: number[] = [];
    const result = await ensureArtifact(movinetSpecAt(s.url('/m.tflite')), { cacheDir: cache.dir, ...FAST, onProgress: (r) => progress.push(r) });

    expect(result.sha256).toBe(sha256Of(result.path));
    expect(s.requests).toHaveLength(2);
    expect(s.requests[0]).toMatchObject({ range: undefined, bytesSent: HALF });
    // The client resumes from what it actually received before the reset (at most HALF).
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(s.requests[1].range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(HALF);
    expect(s.requests[1]).toMatchObject({ status: 206, bytesSent: SIZE - resumedAt });
    expect(progress.at(-1)).toBe(SIZE);
  });

  it('starts over when the server ignores Range', async () => {
    const s = await serve({ '/m.tflite': firstThen(1, dropAfter(MOVINET_BYTES, HALF), serveBytes(MOVINET_BYTES, { honorRange: false })) });
    const logger = recordingLogger();
    const result = await ensureArtifact(movinetSpecAt(s.url('/m.tflite')), { cacheDir: cache.dir, ...FAST, logger });

    expect(sha256Of(result.path)).toBe(result.sha256);
    expect(s.requests[1].range).toMatch(/^bytes=\d+-$/);
    expect(s.requests[1]).toMatchObject({ status: 200, bytesSent: SIZE });
    expect(logger.lines.some((l) => l.msg?.includes('ignored the Range'))).toBe(true);
  });

  it('times out a stalled connection and resumes it', async () => {
    const s = await serve({ '/m.tflite': firstThen(1, stallAfter(MOVINET_BYTES, HALF), serveBytes(MOVINET_BYTES)) });
    const result = await ensureArtifact(movinetSpecAt(s.url('/m.tflite')), { cacheDir: cache.dir, ...FAST, timeoutMs: 300 });
    expect(sha256Of(result.path)).toBe(result.sha256);
    expect(s.requests[1].range).toBe(`bytes=${HALF}-`);
  });

  it('retries a 503 and gives up on a 404 at once', async () => {
    const unavailable: Route = (_req, res) => void res.writeHead(503).end();
    const s = await serve({ '/m.tflite': firstThen(2, unavailable, serveBytes(MOVINET_BYTES)) });
    const result = await ensureArtifact(movinetSpecAt(s.url('/m.tflite')), { cacheDir: cache.dir, ...FAST });
    expect(result.source).toBe('download');
    expect(s.requests.map((r) => r.status)).toEqual([503, 503, 200]);

    const other = makeTempDir();
    try {
      const error = await expectError(ensureArtifact(movinetSpecAt(s.url('/missing')), { cacheDir: other.dir, ...FAST }), 'AL_ERR_DOWNLOAD_FAILED');
      expect(error.message).toContain('HTTP 404');
      expect(s.requests.filter((r) => r.path === '/missing')).toHaveLength(1);
    } finally {
      other.cleanup();
    }
  });

  it('rejects wrong bytes with AL_ERR_SHA256_MISMATCH and leaves neither the file nor a .part', async () => {
    const wrong = Uint8Array.from(MOVINET_BYTES);
    wrong[1000] ^= 0xff;
    const s = await serve({ '/m.tflite': serveBytes(wrong) });
    const spec = movinetSpecAt(s.url('/m.tflite'));
    const error = await expectError(ensureArtifact(spec, { cacheDir: cache.dir, ...FAST }), 'AL_ERR_SHA256_MISMATCH');
    const actual = createHash('sha256').update(wrong).digest('hex');
    expect(error.message).toContain(actual);
    expect(error.message).toContain(spec.source.sha256!);
    const dir = path.dirname(artifactPath(cache.dir, spec.source));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports an unreachable host as AL_ERR_OFFLINE with the URL, file name and sha256', async () => {
    const port = await closedPort();
    const spec = movinetSpecAt(`http://127.0.0.1:${port}/m.tflite`);
    const error = await expectError(ensureArtifact(spec, { cacheDir: cache.dir, ...FAST }), 'AL_ERR_OFFLINE');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.hint).toContain(`http://127.0.0.1:${port}/m.tflite`);
    expect(error.hint).toContain(spec.source.file_name);
    expect(error.hint).toContain(spec.source.sha256!);
    expect(error.hint).toMatch(/mirrors/);
  });

  it('tries the next URL when the first host is unreachable', async () => {
    const port = await closedPort();
    const s = await serve({ '/m.tflite': serveBytes(MOVINET_BYTES) });
    const result = await ensureArtifact(movinetSpecAt(`http://127.0.0.1:${port}/m.tflite`, s.url('/m.tflite')), { cacheDir: cache.dir, ...FAST });
    expect(result.source).toBe('download');
  });

  it('stops on an AbortSignal, keeps the .part, and the next call resumes it', async () => {
    const s = await serve({ '/m.tflite': firstThen(1, stallAfter(MOVINET_BYTES, HALF), serveBytes(MOVINET_BYTES)) });
    const spec = movinetSpecAt(s.url('/m.tflite'));
    const controller = new AbortController();
    const onProgress = (received: number) => {
      if (received >= HALF) controller.abort();
    };
    await expectError(ensureArtifact(spec, { cacheDir: cache.dir, ...FAST, signal: controller.signal, onProgress }), 'AL_ERR_ABORTED');
    const final = artifactPath(cache.dir, spec.source);
    expect(existsSync(final)).toBe(false);
    expect(readFileSync(`${final}.part`).length).toBe(HALF);

    const result = await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST });
    expect(sha256Of(result.path)).toBe(spec.source.sha256);
    expect(s.requests[1]).toMatchObject({ range: `bytes=${HALF}-`, status: 206 });
  });

  it('restarts from scratch when a leftover .part from an earlier run does not verify', async () => {
    const s = await serve({ '/m.tflite': serveBytes(MOVINET_BYTES) });
    const spec = movinetSpecAt(s.url('/m.tflite'));
    const final = artifactPath(cache.dir, spec.source);
    mkdirSync(path.dirname(final), { recursive: true });
    writeFileSync(`${final}.part`, new Uint8Array(HALF).fill(7)); // garbage from "another" file
    const result = await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST });
    expect(sha256Of(result.path)).toBe(spec.source.sha256);
    expect(s.requests.map((r) => r.range)).toEqual([`bytes=${HALF}-`, undefined]);
  });
});
