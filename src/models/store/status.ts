// What the cache holds, for `actionlens models list|path`. Cheap: reads sidecars and stats,
// never hashes (ensureArtifact / ensureConverted verify before use).
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ModelSpec } from '../spec.js';
import { artifactPath, onnxDir, resolveCacheDir } from './cache-dir.js';
import type { StoreOptions } from './ensure-artifact.js';
import { readSidecar } from './sidecar.js';

export interface CachedArtifact {
  /** The artifact folder name: its sha256, or `sha256-prefix-XXXXXXXX`. */
  key: string;
  fileName: string;
  path: string;
  sizeBytes: number;
  /** From the sidecar; undefined if the file has not been verified yet. */
  sha256?: string;
}

export interface CachedOnnx {
  path: string;
  artifactSha256: string;
  converterVersion: string;
  sizeBytes: number;
}

export interface CacheListing {
  cacheDir: string;
  artifacts: CachedArtifact[];
  onnx: CachedOnnx[];
}

export interface ModelStatus {
  id: string;
  cacheDir: string;
  artifact: { path: string; downloaded: boolean; sizeBytes?: number; expectedSizeBytes?: number; sha256?: string; partialBytes?: number };
  converted: CachedOnnx[];
}

const ONNX_NAME = /^([0-9a-f]{64})-(.+)\.onnx$/;

export async function listCached(options: StoreOptions = {}): Promise<CacheListing> {
  const cacheDir = resolveCacheDir({ cacheDir: options.cacheDir });
  const artifacts: CachedArtifact[] = [];
  for (const key of await listDir(path.join(cacheDir, 'artifacts'))) {
    const dir = path.join(cacheDir, 'artifacts', key);
    for (const fileName of await listDir(dir)) {
      if (!isPayloadName(fileName)) continue;
      const filePath = path.join(dir, fileName);
      const st = await stat(filePath).catch(() => undefined);
      if (!st?.isFile()) continue;
      const sidecar = await readSidecar(filePath);
      artifacts.push({ key, fileName, path: filePath, sizeBytes: st.size, sha256: sidecar?.sha256 });
    }
  }
  const onnx: CachedOnnx[] = [];
  for (const fileName of await listDir(onnxDir(cacheDir))) {
    const m = ONNX_NAME.exec(fileName);
    if (!m) continue;
    const filePath = path.join(onnxDir(cacheDir), fileName);
    const st = await stat(filePath).catch(() => undefined);
    if (st?.isFile()) onnx.push({ path: filePath, artifactSha256: m[1], converterVersion: m[2], sizeBytes: st.size });
  }
  return { cacheDir, artifacts, onnx };
}

export async function modelStatus(spec: ModelSpec, options: StoreOptions = {}): Promise<ModelStatus> {
  const cacheDir = resolveCacheDir({ cacheDir: options.cacheDir });
  const filePath = artifactPath(cacheDir, spec.source);
  const st = await stat(filePath).catch(() => undefined);
  const sidecar = st ? await readSidecar(filePath) : undefined;
  const partial = await stat(`${filePath}.part`).catch(() => undefined);
  const sha256 = sidecar?.sha256 ?? spec.source.sha256;
  const listing = await listCached({ cacheDir });
  return {
    id: spec.id,
    cacheDir,
    artifact: {
      path: filePath,
      downloaded: st?.isFile() === true,
      sizeBytes: st?.size,
      expectedSizeBytes: spec.source.size_bytes,
      sha256: sidecar?.sha256,
      partialBytes: partial?.size,
    },
    converted: sha256 ? listing.onnx.filter((o) => o.artifactSha256 === sha256) : [],
  };
}

/** Skips the store's own bookkeeping files: sidecars, partial downloads and temp files. */
function isPayloadName(name: string): boolean {
  return !name.endsWith('.meta.json') && !name.endsWith('.part') && !/\.tmp-\d+-[0-9a-f]+$/.test(name);
}

async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}
