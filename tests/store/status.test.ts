// listCached / modelStatus report what ensureArtifact and ensureConverted left in a cache.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { artifactPath } from '../../src/models/store/cache-dir.js';
import { ensureArtifact } from '../../src/models/store/ensure-artifact.js';
import { ensureConverted } from '../../src/models/store/ensure-converted.js';
import { listCached, modelStatus } from '../../src/models/store/status.js';
import { makeTempDir, movinetSpecAt, MOVINET_BYTES, SHARED_MODELS } from './helpers.js';

const spec = movinetSpecAt();
let cache: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  cache = makeTempDir();
});
afterEach(() => cache.cleanup());

describe('cache status', () => {
  it('reports an empty cache, then a partial download', async () => {
    expect(await listCached({ cacheDir: cache.dir })).toEqual({ cacheDir: cache.dir, artifacts: [], onnx: [] });
    const empty = await modelStatus(spec, { cacheDir: cache.dir });
    expect(empty.artifact.downloaded).toBe(false);
    expect(empty.artifact.expectedSizeBytes).toBe(MOVINET_BYTES.length);
    expect(empty.converted).toEqual([]);

    const target = artifactPath(cache.dir, spec.source);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(`${target}.part`, MOVINET_BYTES.subarray(0, 1234));
    const partial = await modelStatus(spec, { cacheDir: cache.dir });
    expect(partial.artifact).toMatchObject({ downloaded: false, partialBytes: 1234 });
    expect((await listCached({ cacheDir: cache.dir })).artifacts).toEqual([]);
  });

  it('lists the artifact and its conversions with sizes', async () => {
    const { path: artifact } = await ensureArtifact(spec, { cacheDir: cache.dir, mirrors: [SHARED_MODELS] });
    const onnx = await ensureConverted(spec, artifact, { cacheDir: cache.dir, converterVersion: '3', convert: async (b) => b.subarray(0, 10) });

    const listing = await listCached({ cacheDir: cache.dir });
    expect(listing.artifacts).toEqual([
      { key: spec.source.sha256, fileName: spec.source.file_name, path: artifact, sizeBytes: MOVINET_BYTES.length, sha256: spec.source.sha256 },
    ]);
    expect(listing.onnx).toEqual([{ path: onnx, artifactSha256: spec.source.sha256, converterVersion: '3', sizeBytes: 10 }]);

    const status = await modelStatus(spec, { cacheDir: cache.dir });
    expect(status.artifact).toMatchObject({ downloaded: true, sizeBytes: MOVINET_BYTES.length, sha256: spec.source.sha256 });
    expect(status.converted).toEqual(listing.onnx);
  });
});
