// ensureConverted: the ONNX file for an artifact, converted once and cached under
// <cache>/onnx/<artifact sha256>-<converter version>.onnx. The converter is injected, so the store
// stays independent of the TFLite / MMAction2 converters.
import { readFile } from 'node:fs/promises';
import { ActionLensError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import type { ModelSpec } from '../spec.js';
import { onnxPath, resolveCacheDir } from './cache-dir.js';
import { ensureDerivedFile } from './derived-file.js';
import type { StoreOptions } from './ensure-artifact.js';
import { describeExpected } from './hash.js';
import { checkCachedFile } from './sidecar.js';

export interface EnsureConvertedOptions extends StoreOptions {
  /** Part of the cache key: bump it whenever the converter's output changes. */
  converterVersion: string;
  /** Turns the artifact's bytes into ONNX bytes. */
  convert: (artifactBytes: Uint8Array) => Promise<Uint8Array | readonly Uint8Array[]>;
}

const CONVERTER_VERSION = /^[A-Za-z0-9._+-]{1,64}$/;

/** Returns the path of the cached ONNX for `artifactPath`, converting (and caching) it if needed. */
export async function ensureConverted(spec: ModelSpec, artifactPath: string, options: EnsureConvertedOptions): Promise<string> {
  const logger = options.logger ?? silentLogger;
  if (!CONVERTER_VERSION.test(options.converterVersion)) {
    throw new ActionLensError(
      'AL_ERR_INVALID_SETTINGS',
      `converterVersion '${options.converterVersion}' is not allowed: use 1-64 letters, digits or . _ + - (it becomes part of a file name).`,
    );
  }
  // The cache key needs the artifact's full sha256; the sidecar makes this cheap, and it refuses a bad artifact.
  const artifact = await checkCachedFile(artifactPath, { expected: spec.source });
  if (artifact.state !== 'valid') {
    const why = artifact.state === 'missing' ? 'does not exist' : artifact.reason;
    throw new ActionLensError(
      artifact.state === 'missing' ? 'AL_ERR_INPUT_NOT_FOUND' : 'AL_ERR_SHA256_MISMATCH',
      `Cannot convert model '${spec.id}': artifact ${artifactPath} ${why} (expected sha256 ${describeExpected(spec.source)}).`,
      { hint: 'Call ensureArtifact first; it downloads and verifies the artifact.' },
    );
  }

  const cacheDir = resolveCacheDir({ cacheDir: options.cacheDir });
  const target = onnxPath(cacheDir, artifact.sha256, options.converterVersion);
  const started = performance.now();
  let bytes = 0;
  const onnx = await ensureDerivedFile(target, 'cached ONNX is corrupt or partial; converting again', logger, async () => {
    const chunks = await runConverter(spec, options, await readFile(artifactPath));
    bytes = chunks.reduce((n, c) => n + c.length, 0);
    return { chunks, info: { artifact_sha256: artifact.sha256, converter: spec.source.converter, converter_version: options.converterVersion } };
  });
  if (onnx.made) logger.info({ model: spec.id, path: target, bytes, ms: Math.round(performance.now() - started) }, 'model converted to ONNX');
  return target;
}

async function runConverter(spec: ModelSpec, options: EnsureConvertedOptions, bytes: Uint8Array): Promise<readonly Uint8Array[]> {
  let onnx: unknown;
  try {
    onnx = await options.convert(bytes);
  } catch (e) {
    if (e instanceof ActionLensError) throw e;
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Converting model '${spec.id}' (${spec.source.converter}) failed: ${String(e)}`, { cause: e });
  }
  const chunks = onnx instanceof Uint8Array ? [onnx] : Array.isArray(onnx) && onnx.every((c) => c instanceof Uint8Array) ? (onnx as Uint8Array[]) : undefined;
  if (!chunks || chunks.every((c) => c.length === 0)) {
    const got = chunks ? 'no bytes' : typeof onnx;
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `The ${spec.source.converter} converter returned ${got} for model '${spec.id}'; expected non-empty ONNX bytes.`);
  }
  return chunks;
}
