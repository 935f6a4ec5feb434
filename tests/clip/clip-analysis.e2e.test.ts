// End to end on a real video: an X3D-S built from the golden fixture's deterministic weights, run
// by ONNX Runtime in the inference worker, through the clip engine in both modes. The weights are
// synthetic, so the test checks shapes, windows, document validity and protocol arithmetic, not labels.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeClip } from '../../src/app/clip-analysis.js';
import { clipGeometry } from '../../src/app/clip-input.js';
import { planTimelineWindows } from '../../src/app/clip-timeline.js';
import { averageViews } from '../../src/core/postprocess/index.js';
import { RESULT_SCHEMA_VERSION, validateResultDocument } from '../../src/core/result/index.js';
import { DEFAULT_CONFIG } from '../../src/core/settings/index.js';
import type { TensorData } from '../../src/core/tensor.js';
import { silentLogger } from '../../src/core/logger.js';
import { validateModelSpec } from '../../src/models/spec.js';
import { buildX3d } from '../../src/models/converters/mmaction2/x3d.js';
import type { Mmaction2ModelDict } from '../../src/models/converters/mmaction2/types.js';
import { createInferenceSession, type InferenceSession } from '../../src/runtime/session.js';
import { probeVideo } from '../../src/video/index.js';
import { createGoldenSource } from '../../src/models/converters/mmaction2/golden-weights.js';
import { goldenFixtureSpec, MEDIA } from './clip-spec.js';

const VIDEO = resolve(MEDIA, 'arm_wrestling.mp4'); // 280 frames, 28 fps, 340x256, 10 s
const { spec, model } = goldenFixtureSpec('x3d_s_13x6x1');
const labels = Array.from({ length: spec.num_classes }, (_, i) => `class_${i}`);
const sha = (c: string) => c.repeat(64);

let dir: string;
let session: InferenceSession;
/** Every input the model saw, by call, so the test can re-derive the protocol average. */
const calls: { views: number; logits: Float32Array }[] = [];
const recording = {
  async run(feeds: Record<string, TensorData>) {
    const views = feeds.input!.dims[0]!;
    const out = await session.run(feeds);
    calls.push({ views, logits: Float32Array.from(out.logits!.data as Float32Array) });
    return out;
  },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'actionlens-clip-'));
  const viewShape = clipGeometry(spec).viewShape; // [3, 13, 182, 182]
  const built = buildX3d(model as Mmaction2ModelDict, createGoldenSource(), { viewShape });
  writeFileSync(join(dir, 'x3d_s.onnx'), built.onnx);
  session = await createInferenceSession(join(dir, 'x3d_s.onnx'), { threads: 2 });
}, 120_000);

afterAll(async () => {
  await session?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('clip engine end to end (x3d_s, arm_wrestling.mp4)', () => {
  it('timeline mode: one window per clip span, scores at window centres, a valid result document', async () => {
    const info = await probeVideo(VIDEO);
    calls.length = 0;
    const seen: number[] = [];
    const analysis = { ...structuredClone(DEFAULT_CONFIG.analysis), events: { enter_score: 0.001, exit_score: 0.0005, min_duration_sec: 0 } };
    const out = await analyzeClip({
      videoPath: VIDEO, info, spec, labels, session: recording, analysis, ffmpeg: 'ffmpeg', logger: silentLogger,
      onWindow: (t) => seen.push(t),
    });

    // X3D geometry at the real fps: 13 x 6 frames at 30 fps = round(78 * 28 / 30) = 73 source frames.
    const windows = planTimelineWindows({ geometry: clipGeometry(spec), totalFrames: 280, fps: 28, segmentWindowSec: 1 });
    expect(windows.map((w) => w.startFrame)).toEqual([0, 73, 146, 207]);
    expect(out.windows).toBe(4);
    expect(calls.map((c) => c.views)).toEqual([1, 1, 1, 1]); // one center-crop view per window
    expect(seen).toEqual(windows.map((w) => (w.tStartSec + w.tEndSec) / 2));
    expect(out.protocol).toBeUndefined();
    // The ring holds about one window's frames (13), never the video's 280.
    expect(out.peakFramesHeld).toBeGreaterThanOrEqual(13);
    expect(out.peakFramesHeld).toBeLessThanOrEqual(26);

    const { timeline, aggregate, events } = out.result;
    expect(timeline).toHaveLength(10); // 1 s windows over 10 s
    expect(timeline.filter((w) => w.topk.length > 0).length).toBeGreaterThanOrEqual(4);
    expect(aggregate.topk).toHaveLength(5);
    for (const w of timeline) for (const s of w.topk) expect(labels).toContain(s.label);

    const document = validateResultDocument({
      schema_version: RESULT_SCHEMA_VERSION,
      source: { name: 'arm_wrestling.mp4', sha256: sha('a'), duration_s: info.durationSec, fps: info.fps, width: info.width, height: info.height, frame_count: info.frameCount },
      model: { id: spec.id, artifact_sha256: sha('b'), onnx_sha256: sha('c'), family: spec.family },
      settings: analysis,
      timeline, aggregate, events,
      timings: { hash_ms: 0, probe_ms: 0, download_ms: 0, convert_ms: 0, load_ms: 0, ...out.timings, total_ms: 1 },
      environment: { actionlens: '0.0.0', node: process.versions.node, onnxruntime: session.info.ortVersion, ffmpeg: '5.1', platform: 'linux-x64', execution_provider: session.provider, threads: 2 },
      created_at: new Date().toISOString(),
    });
    expect(document.timeline).toEqual(timeline);
  }, 120_000);

  it("full protocol: every clip x crop view in chunks, aggregate = average_clip('prob') of all views", async () => {
    const info = await probeVideo(VIDEO);
    calls.length = 0;
    // 3 clips instead of the config's 10 keeps the run short on 2 shared cores; the full-size
    // protocol input is checked bit for bit in protocol-input.parity.test.ts.
    const fewerClips = validateModelSpec({ ...spec, input: { ...spec.input, num_clips: 3 } });
    const analysis = { ...structuredClone(DEFAULT_CONFIG.analysis), clip_protocol: 'full' as const, topk: 3 };
    const out = await analyzeClip({ videoPath: VIDEO, info, spec: fewerClips, labels, session: recording, analysis, ffmpeg: 'ffmpeg', logger: silentLogger, viewsPerRun: 4 });

    expect(out.protocol).toEqual({ views: 9, sampledFrames: 39, totalFrames: 280 }); // 3 clips x 13 frames, x 3 crops
    const protocolCalls = calls.slice(out.windows); // timeline windows first, then the protocol
    expect(protocolCalls.map((c) => c.views)).toEqual([4, 4, 1]);
    const allViews = new Float32Array(9 * spec.num_classes); // [9, classes]
    protocolCalls.reduce((o, c) => (allViews.set(c.logits, o), o + c.logits.length), 0);
    const expected = averageViews(allViews, spec.num_classes, 'prob');
    const ranked = [...expected].map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p).slice(0, 3);
    expect(out.result.aggregate.topk.map((s) => s.label)).toEqual(ranked.map((r) => labels[r.i]));
    out.result.aggregate.topk.forEach((s, k) => expect(s.score).toBeCloseTo(ranked[k]!.p, 6));
    expect(out.result.timeline).toHaveLength(10); // the timeline is still there
  }, 180_000);
});
