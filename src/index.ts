// actionlens as a library (Node). The browser-safe part is `actionlens/core`.
//   const { config } = await resolveConfig({ overrides: { analysis: { topk: 3 } } });
//   const recognizer = await createRecognizer(config);
//   const { document } = await recognizer.analyze('clip.mp4');
export { createRecognizer, type Recognizer, type AnalyzeOptions, type AnalyzeResult, type AnalysisProgress } from './app/recognizer.js';
export { resolveConfig, loadConfig, saveConfig } from './config/index.js';
export { listModels, getModelSpec } from './models/zoo.js';
export type { ModelSpec } from './models/spec.js';
export { ensureArtifact, ensureConverted, modelStatus } from './models/store/index.js';
export { probeVideo, decodeFrames } from './video/index.js';
export { createInferenceSession, type InferenceSession, type StreamSession } from './runtime/session.js';
export * from './core/index.js';
