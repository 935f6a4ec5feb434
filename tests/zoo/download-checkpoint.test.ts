// An MMAction2 zoo model fetched over HTTP (a local server standing in for download.openmmlab.com):
// progress, resume after a dropped connection, sha256 prefix check, no half files, then the
// mmaction2-pth converter through the store at golden parity.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { converterFor } from '../../src/models/converters/index.js';
import type { ModelSpec } from '../../src/models/spec.js';
import { ensureArtifact, ensureConverted } from '../../src/models/store/index.js';
import { getModelSpec } from '../../src/models/zoo.js';
import { loadFixture } from '../mmaction2/parity-harness.js';
import { makeTempDir } from '../store/helpers.js';
import { dropAfter, firstThen, serveBytes, startTestServer, type TestServer } from '../store/test-server.js';
import { fixtureEntries, writeGoldenCheckpoint } from './helpers/golden-checkpoint.js';
import { compareWithFixture } from './helpers/run-onnx.js';

const FAST = { retries: 3, retryDelayMs: 10, timeoutMs: 5000 };
const fx = loadFixture('tsm_mobilenetv2_1x1x8');
let checkpoint: Uint8Array;
let sha256: string;
let server: TestServer;
let cache: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  checkpoint = writeGoldenCheckpoint(fixtureEntries(fx), { modulePrefix: true });
  sha256 = createHash('sha256').update(checkpoint).digest('hex');
  const half = Math.floor(checkpoint.length / 2);
  server = await startTestServer({
    '/ckpt.pth': serveBytes(checkpoint),
    '/flaky.pth': firstThen(1, dropAfter(checkpoint, half), serveBytes(checkpoint)),
  });
});
afterAll(() => server.close());
beforeEach(() => {
  cache = makeTempDir('actionlens-zoo-');
});
afterEach(() => cache.cleanup());

/** The zoo's spec, fetched from the local server; our file's own sha256 prefix (MMAction2 style). */
function specAt(route: string, prefix = sha256.slice(0, 8)): ModelSpec {
  const spec = getModelSpec('tsm-mobilenetv2-1x1x8-k400');
  return { ...spec, source: { ...spec.source, urls: [server.url(route)], sha256_prefix: prefix } };
}

function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

describe('MMAction2 checkpoint download', () => {
  it('downloads with progress, verifies the sha256 prefix, and converts at golden parity', async () => {
    const spec = specAt('/ckpt.pth');
    const progress: number[] = [];
    const artifact = await ensureArtifact(spec, { cacheDir: cache.dir, ...FAST, onProgress: (received) => progress.push(received) });
    expect(artifact.sha256).toBe(sha256);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(checkpoint.length);
    // (Buffer.equals, not toEqual: a deep compare of 11 MB element by element takes minutes.)
    expect(readFileSync(artifact.path).equals(checkpoint)).toBe(true);

    const converter = converterFor('mmaction2-pth');
    const onnxPath = await ensureConverted(spec, artifact.path, { cacheDir: cache.dir, converterVersion: converter.version, convert: (b) => converter.convert(b, spec) });
    expect(path.basename(onnxPath)).toBe(`${sha256}-${converter.version}.onnx`);
    const result = await compareWithFixture(new Uint8Array(readFileSync(onnxPath)), fx, [8, 3, 256, 256]);
    expect(result.relError).toBeLessThanOrEqual(1e-3);
  }, 60_000);

  it('resumes after a dropped connection with a Range request', async () => {
    const before = server.requests.length;
    const artifact = await ensureArtifact(specAt('/flaky.pth'), { cacheDir: cache.dir, ...FAST });
    expect(artifact.sha256).toBe(sha256);
    const requests = server.requests.slice(before);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.bytesSent).toBeLessThan(checkpoint.length);
    // The client resumes from what it actually received before the reset: at most what the server
    // wrote (bytes still in socket buffers at the reset are lost), and the server then sends the rest.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(requests[0]!.bytesSent);
    expect(requests[1]).toMatchObject({ status: 206, bytesSent: checkpoint.length - resumedAt });
  });

  it('rejects a file whose sha256 does not start with the prefix in its name, leaving no file behind', async () => {
    const wrong = sha256.startsWith('0') ? '1' + sha256.slice(1, 8) : '0' + sha256.slice(1, 8);
    const error = await ensureArtifact(specAt('/ckpt.pth', wrong), { cacheDir: cache.dir, ...FAST }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ActionLensError);
    expect((error as ActionLensError).code).toBe('AL_ERR_SHA256_MISMATCH');
    expect((error as ActionLensError).message).toContain(wrong);
    expect(filesIn(cache.dir)).toEqual([]);
  });
});
