// From a model id to something that can run: spec, labels, artifact (cache, mirror or download),
// ONNX (converted once, cached), each step timed.
import { ActionLensError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AppConfig } from '../core/settings/index.js';
import { converterFor } from '../models/converters/index.js';
import type { ModelSpec } from '../models/spec.js';
import { ensureArtifact, ensureConverted, loadLabels, type ProgressCallback } from '../models/store/index.js';
import { resolveModel } from '../models/resolve-model.js';
import { sha256File } from '../io/file-sha256.js';

export interface PreparedModel {
  spec: ModelSpec;
  labels: string[];
  artifactSha256: string;
  converterVersion: string;
  onnxPath: string;
  onnxSha256: string;
  timings: { download_ms: number; convert_ms: number };
}

export interface PrepareOptions {
  logger: Logger;
  signal?: AbortSignal;
  onDownloadProgress?: ProgressCallback;
}

export async function prepareModel(config: AppConfig, opts: PrepareOptions): Promise<PreparedModel> {
  const { spec, mirrors } = await resolveModel(config.model);
  const labels = await loadLabels(spec);
  const storeOpts = { cacheDir: config.store.cache_dir ?? undefined, logger: opts.logger };

  const t0 = performance.now();
  const artifact = await ensureArtifact(spec, {
    ...storeOpts,
    mirrors: [...mirrors, ...config.store.mirrors],
    offline: config.store.offline,
    onProgress: opts.onDownloadProgress,
    signal: opts.signal,
  });
  const t1 = performance.now();
  opts.logger.debug({ model: spec.id, source: artifact.source, path: artifact.path }, 'model artifact ready');

  const converter = converterFor(spec.source.converter);
  let onnxPath: string;
  try {
    onnxPath = await ensureConverted(spec, artifact.path, { ...storeOpts, converterVersion: converter.version, convert: (bytes) => converter.convert(bytes, spec) });
  } catch (e) {
    if (e instanceof ActionLensError) throw e;
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `Converting ${spec.id} to ONNX failed: ${(e as Error).message}`, { cause: e });
  }
  const t2 = performance.now();
  return {
    spec,
    labels,
    artifactSha256: artifact.sha256,
    converterVersion: converter.version,
    onnxPath,
    onnxSha256: await sha256File(onnxPath),
    timings: { download_ms: t1 - t0, convert_ms: t2 - t1 },
  };
}
