// The artifact store (Node only): fetch, verify and cache model files and their ONNX conversions.
export { ensureArtifact, type EnsureArtifactOptions, type EnsuredArtifact, type StoreOptions } from './ensure-artifact.js';
export { ensureConverted, type EnsureConvertedOptions } from './ensure-converted.js';
export { listCached, modelStatus, type CacheListing, type CachedArtifact, type CachedOnnx, type ModelStatus } from './status.js';
export { resolveCacheDir, artifactPath, onnxPath, type CacheDirOptions } from './cache-dir.js';
export { loadLabels, DEFAULT_LABELS_DIR } from './load-labels.js';
export type { ProgressCallback } from './http-download.js';
