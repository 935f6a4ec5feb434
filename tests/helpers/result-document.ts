// A schema-valid result document around a given timeline, for tests of the document's exports
// (WebVTT, the ASS overlay): everything but the timeline and the source's size is fixed.
import { RESULT_SCHEMA_VERSION, type ResultDocument, type ResultTimelineWindow } from '../../src/core/result/schema.js';
import { validateResultDocument } from '../../src/core/result/validate.js';
import { DEFAULT_CONFIG } from '../../src/core/settings/defaults.js';

const sha = (c: string): string => c.repeat(64);

export function makeResultDocument(timeline: ResultTimelineWindow[], durationSec: number, size = { width: 320, height: 240 }): ResultDocument {
  return validateResultDocument({
    schema_version: RESULT_SCHEMA_VERSION,
    source: { name: 'clip.mp4', sha256: sha('a'), duration_s: durationSec, fps: 30, ...size, frame_count: Math.round(durationSec * 30) },
    model: { id: 'movinet-a0-stream-k600', artifact_sha256: sha('b') },
    settings: structuredClone(DEFAULT_CONFIG.analysis),
    timeline,
    aggregate: { method: 'mean', topk: [] },
    events: [],
    timings: { hash_ms: 0, probe_ms: 0, download_ms: 0, convert_ms: 0, load_ms: 0, decode_ms: 0, transform_ms: 0, infer_ms: 0, postprocess_ms: 0, total_ms: 0 },
    environment: { actionlens: '0.1.0', node: 'v20.20.2', onnxruntime: '1.30.0', ffmpeg: '5.1.9', platform: 'linux-x64', execution_provider: 'cpu', threads: 1 },
    created_at: '2026-01-31T12:00:00.000Z',
  });
}
