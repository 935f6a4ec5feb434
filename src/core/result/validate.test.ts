import { describe, expect, it } from 'vitest';
import { createTimelineBuilder } from '../postprocess/timeline-builder.js';
import { DEFAULT_CONFIG } from '../settings/defaults.js';
import { RESULT_SCHEMA_VERSION, type ResultDocument } from './schema.js';
import { validateResultDocument } from './validate.js';

const sha = (c: string): string => c.repeat(64);

/** A document whose timeline, aggregate and events come from the real timeline builder. */
function makeDocument(): ResultDocument {
  const labels = ['walk', 'run', 'jump'];
  const settings = structuredClone(DEFAULT_CONFIG.analysis);
  const builder = createTimelineBuilder({ labels, ...settings, events: { ...settings.events, min_duration_sec: 0 } });
  for (let i = 0; i < 20; i++) builder.push(i / 5, i < 10 ? Float32Array.of(0.8, 0.1, 0.1) : Float32Array.of(0.1, 0.1, 0.8));
  const { timeline, aggregate, events } = builder.finish(4);
  return {
    schema_version: RESULT_SCHEMA_VERSION,
    source: { name: 'clip.mp4', sha256: sha('a'), duration_s: 4, fps: 30, width: 172, height: 172, frame_count: 120 },
    model: { id: 'movinet-a0-stream-k600', artifact_sha256: sha('b'), onnx_sha256: sha('c'), family: 'movinet' },
    settings,
    timeline,
    aggregate,
    events,
    timings: {
      hash_ms: 3,
      probe_ms: 12,
      download_ms: 0,
      convert_ms: 0,
      load_ms: 80,
      decode_ms: 40,
      transform_ms: 5,
      infer_ms: 200,
      postprocess_ms: 1,
      total_ms: 230,
    },
    environment: {
      actionlens: '0.1.0',
      node: 'v20.20.2',
      onnxruntime: '1.30.0',
      ffmpeg: '5.1.9',
      platform: 'linux-x64',
      execution_provider: 'cpu',
      threads: 2,
    },
    created_at: '2026-01-31T12:00:00.000Z',
  };
}

function messageOf(x: unknown): string {
  try {
    validateResultDocument(x);
  } catch (e) {
    expect((e as { code: string }).code).toBe('AL_ERR_RESULT_INVALID');
    return (e as Error).message;
  }
  throw new Error('expected validateResultDocument to throw');
}

describe('validateResultDocument', () => {
  it('accepts a document built from the timeline builder, and survives a JSON round trip', () => {
    const doc = makeDocument();
    expect(doc.events.length).toBeGreaterThan(0);
    expect(validateResultDocument(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
  });

  it('names the bad path, its value and the allowed range', () => {
    const doc = makeDocument();
    doc.timeline[2].topk[0].score = 1.5;
    expect(messageOf(doc)).toContain('timeline[2].topk[0].score: expected a number in 0..1, got 1.5');
  });

  it('rejects another schema version, a bad sha256, a missing field and an unknown one', () => {
    expect(messageOf({ ...makeDocument(), schema_version: '0.9.0' })).toContain('schema_version: expected "1.2.0", got "0.9.0"');
    const badSha = makeDocument();
    badSha.model.artifact_sha256 = 'ABC';
    expect(messageOf(badSha)).toContain('model.artifact_sha256: expected a sha256: 64 lowercase hex digits, got "ABC"');
    const { timings: _, ...noTimings } = makeDocument();
    expect(messageOf(noTimings)).toMatch(/^ {2}timings: .*got nothing \(the field is missing\)$/m);
    expect(messageOf({ ...makeDocument(), extra: 1 })).toContain('extra: unknown field');
  });

  it('validates the embedded analysis settings with the settings rules', () => {
    const doc = makeDocument();
    (doc.settings as { aggregate: string }).aggregate = 'median';
    expect(messageOf(doc)).toContain('settings.aggregate: expected one of mean | max, got "median"');
  });

  it('allows a live source without sha256 and a browser run without node or ffmpeg', () => {
    const doc = makeDocument();
    doc.source.sha256 = null;
    doc.environment.node = null;
    doc.environment.ffmpeg = null;
    expect(() => validateResultDocument(doc)).not.toThrow();
    expect(messageOf({ ...doc, created_at: 'yesterday' })).toContain('created_at: expected an ISO 8601 UTC time');
  });
});
