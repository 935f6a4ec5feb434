// ensureConverted with a stand-in converter (bytes reversed): caching, keys, rebuilds, errors.
import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureArtifact } from '../../src/models/store/ensure-artifact.js';
import { ensureConverted } from '../../src/models/store/ensure-converted.js';
import { makeTempDir, movinetSpecAt, MOVINET_BYTES, recordingLogger, SHARED_MODELS } from './helpers.js';
import { rejection } from '../helpers/rejection.js';

const spec = movinetSpecAt();
let cache: ReturnType<typeof makeTempDir>;
let artifact: string;
let calls: number;
const reverse = async (bytes: Uint8Array): Promise<Uint8Array> => {
  calls++;
  return Uint8Array.from(bytes).reverse();
};

beforeEach(async () => {
  cache = makeTempDir();
  calls = 0;
  artifact = (await ensureArtifact(spec, { cacheDir: cache.dir, mirrors: [SHARED_MODELS] })).path;
});
afterEach(() => cache.cleanup());

describe('ensureConverted', () => {
  it('converts once and serves the cached ONNX afterwards, keyed by artifact sha256 and converter version', async () => {
    const onnx = await ensureConverted(spec, artifact, { cacheDir: cache.dir, converterVersion: '1', convert: reverse });
    expect(onnx).toBe(path.join(cache.dir, 'onnx', `${spec.source.sha256}-1.onnx`));
    expect(Buffer.from(readFileSync(onnx)).equals(Buffer.from(Uint8Array.from(MOVINET_BYTES).reverse()))).toBe(true);
    expect(await ensureConverted(spec, artifact, { cacheDir: cache.dir, converterVersion: '1', convert: reverse })).toBe(onnx);
    expect(calls).toBe(1);

    const v2 = await ensureConverted(spec, artifact, { cacheDir: cache.dir, converterVersion: '2.0.1', convert: reverse });
    expect(v2).not.toBe(onnx);
    expect(calls).toBe(2);
  });

  it('rebuilds a truncated, altered or sidecar-less cached ONNX', async () => {
    const options = { cacheDir: cache.dir, converterVersion: '1', convert: reverse };
    const onnx = await ensureConverted(spec, artifact, options);
    const good = readFileSync(onnx);

    truncateSync(onnx, 100); // a partial write
    const logger = recordingLogger();
    await ensureConverted(spec, artifact, { ...options, logger });
    expect(calls).toBe(2);
    expect(readFileSync(onnx).equals(good)).toBe(true);
    expect(logger.lines.some((l) => l.level === 'warn')).toBe(true);

    const bytes = readFileSync(onnx);
    bytes[10] ^= 0xff; // same size, different content
    writeFileSync(onnx, bytes);
    await ensureConverted(spec, artifact, options);
    expect(calls).toBe(3);
    expect(readFileSync(onnx).equals(good)).toBe(true);

    rmSync(`${onnx}.meta.json`); // crash between the ONNX and its sidecar
    await ensureConverted(spec, artifact, options);
    expect(calls).toBe(4);
    expect(existsSync(`${onnx}.meta.json`)).toBe(true);
  });

  it('refuses an artifact that does not match the spec, before converting', async () => {
    const other = path.join(cache.dir, 'other.tflite');
    writeFileSync(other, MOVINET_BYTES.subarray(0, 5000));
    const error = await rejection(ensureConverted(spec, other, { cacheDir: cache.dir, converterVersion: '1', convert: reverse }));
    expect(error.code).toBe('AL_ERR_SHA256_MISMATCH');
    expect(calls).toBe(0);
  });

  it('wraps converter failures and rejects empty output, leaving nothing cached', async () => {
    const failing = async (): Promise<Uint8Array> => {
      throw new Error('op FOO unsupported');
    };
    const error = await rejection(ensureConverted(spec, artifact, { cacheDir: cache.dir, converterVersion: '1', convert: failing }));
    expect(error.code).toBe('AL_ERR_CONVERSION_FAILED');
    expect(error.message).toContain('op FOO unsupported');

    const empty = async (): Promise<Uint8Array> => new Uint8Array(0);
    const emptyError = await rejection(ensureConverted(spec, artifact, { cacheDir: cache.dir, converterVersion: '1', convert: empty }));
    expect(emptyError.code).toBe('AL_ERR_CONVERSION_FAILED');
    expect(existsSync(path.join(cache.dir, 'onnx', `${spec.source.sha256}-1.onnx`))).toBe(false);
  });

  it('rejects a converter version that is not a safe file name part', async () => {
    const error = await rejection(ensureConverted(spec, artifact, { cacheDir: cache.dir, converterVersion: '../x', convert: reverse }));
    expect(error.code).toBe('AL_ERR_INVALID_SETTINGS');
    expect(error.message).toContain("'../x'");
  });
});
