// Small, valid documents for the page's unit tests (checked against the core schemas in the tests).
import type { JobStatus } from '../../../src/core/api/schema.js';
import { DEFAULT_CONFIG } from '../../../src/core/settings/defaults.js';
import { RESULT_SCHEMA_VERSION, type ResultDocument, type ResultScoredLabel } from '../../../src/core/result/schema.js';

const SHA = 'a'.repeat(64);

export function scored(label: string, index: number, score: number): ResultScoredLabel {
  return { label, index, score };
}

/** A 4 s video with 1 s windows; window 2 is empty (no scored frame). */
export function makeResult(overrides: Partial<ResultDocument> = {}): ResultDocument {
  return {
    schema_version: RESULT_SCHEMA_VERSION,
    source: { name: 'clip.mp4', sha256: SHA, duration_s: 4, fps: 25, width: 640, height: 360, frame_count: 100 },
    model: { id: 'movinet-a0-stream-k600', artifact_sha256: SHA, family: 'movinet' },
    settings: structuredClone(DEFAULT_CONFIG.analysis) as ResultDocument['settings'],
    timeline: [
      { t_start: 0, t_end: 1, topk: [scored('jumping', 1, 0.8), scored('running', 2, 0.1)] },
      { t_start: 1, t_end: 2, topk: [scored('running', 2, 0.6), scored('jumping', 1, 0.3)] },
      { t_start: 2, t_end: 3, topk: [] },
      { t_start: 3, t_end: 4, topk: [scored('jumping', 1, 0.9), scored('waving', 3, 0.05)] },
    ],
    aggregate: { method: 'mean', topk: [scored('jumping', 1, 0.5), scored('running', 2, 0.2), scored('waving', 3, 0.01)] },
    events: [
      { label: 'jumping', index: 1, start: 0, end: 1, peak: 0.8 },
      { label: 'running', index: 2, start: 1, end: 2, peak: 0.6 },
    ],
    timings: {
      hash_ms: 1,
      probe_ms: 1,
      download_ms: 0,
      convert_ms: 0,
      load_ms: 10,
      decode_ms: 20,
      transform_ms: 5,
      infer_ms: 50,
      postprocess_ms: 1,
      total_ms: 90,
    },
    environment: {
      actionlens: '0.1.0',
      node: null,
      onnxruntime: '1.30.0',
      ffmpeg: '7.0',
      platform: 'linux-x64',
      execution_provider: 'cpu',
      threads: 2,
    },
    created_at: '2026-01-31T12:00:00.000Z',
    ...overrides,
  };
}

export function makeStatus(overrides: Partial<JobStatus> = {}): JobStatus {
  return {
    id: 'job_00000001',
    state: 'running',
    source_name: 'clip.mp4',
    model: 'movinet-a0-stream-k600',
    created_at: '2026-01-31T12:00:00.000Z',
    progress: { stage: 'analyze', fraction: 0.5, eta_sec: 3 },
    has_video: true,
    ...overrides,
  };
}
