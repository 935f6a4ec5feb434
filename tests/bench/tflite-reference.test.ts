// The TFLite reference runtime (bench/tflite-reference.mjs) must be the runtime that made the MoViNet
// fixtures: same frames in, same top-5 and logits out, states fed back by name.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTfliteStream } from '../../bench/tflite-reference.mjs';
import { decodeRgbFrames, rgb24ToUnitFloat } from '../../bench/lib/ffmpeg-frames.mjs';
import { compareWithFixture, softmax, topK } from '../../bench/lib/fixture-compare.mjs';
import { percentile, summarizeLatencies } from '../../bench/lib/latency-stats.mjs';
import type { TfliteStream } from '../../bench/tflite-reference.mjs';
import type { MovinetFixture } from '../../bench/lib/fixture-compare.mjs';

const SHARED = path.resolve(process.cwd(), '../shared');
const MODEL = path.join(SHARED, 'models/movinet_a0_stream_int8_kinetics600.tflite');
const VIDEO = path.join(SHARED, 'media/carving_ice.mp4');
// The 5 fps fixture: 22 frames, enough to exercise the fed-back states and quick to run.
const FIXTURE_FILE = path.join(SHARED, 'fixtures/movinet/carving_ice_fps5.json');
const haveData = [MODEL, VIDEO, FIXTURE_FILE].every(existsSync);

describe.skipIf(!haveData)('TFLite WASM reference stream in Node', () => {
  let fixture: MovinetFixture;
  let frames: Uint8Array[];
  let inputs: Float32Array[];
  let stream: TfliteStream;
  let logitsPerFrame: Float32Array[];

  beforeAll(async () => {
    fixture = JSON.parse(readFileSync(FIXTURE_FILE, 'utf8'));
    frames = await decodeRgbFrames({ videoPath: VIDEO, args: fixture.decode.args, width: 172, height: 172 });
    inputs = frames.map(rgb24ToUnitFloat);
    stream = await createTfliteStream({ modelPath: MODEL, threads: 1 });
    logitsPerFrame = inputs.map((input) => stream.step(input));
  });
  afterAll(() => stream?.close());

  it('uses the non-threaded SIMD build for 1 thread, as the fixtures did', () => {
    expect(stream.build).toBe('tflite_web_api_cc_simd');
    expect(stream.frameLength).toBe(1 * 1 * 172 * 172 * 3);
  });

  it('gives the fixture top-5 on every frame', () => {
    expect(logitsPerFrame).toHaveLength(fixture.num_frames);
    for (const expected of fixture.per_frame) {
      const ours = topK(softmax(logitsPerFrame[expected.frame]), 5);
      expect(ours.map((o) => o.index), `frame ${expected.frame}`).toEqual(expected.top5.map((t) => t.index));
      ours.forEach((o, i) => expect(o.prob).toBeCloseTo(expected.top5[i].prob, 6));
    }
  });

  it('gives the fixture logits to the 7 digits the fixture prints', () => {
    for (const [frame, expected] of Object.entries(fixture.full_logits)) {
      const ours = Array.from(logitsPerFrame[Number(frame)], (v) => Number(v.toPrecision(7)));
      expect(ours, `frame ${frame}`).toEqual(expected);
    }
  });

  it('restarts from zero states after reset(), and depends on the fed-back states', () => {
    stream.reset();
    const again = inputs.slice(0, 3).map((input) => stream.step(input));
    again.forEach((logits, f) => expect(Array.from(logits)).toEqual(Array.from(logitsPerFrame[f])));
    // Frame 2 seen first (zero states) is not frame 2 seen after frames 0 and 1.
    stream.reset();
    const cold = stream.step(inputs[2]);
    expect(Array.from(cold)).not.toEqual(Array.from(logitsPerFrame[2]));
    stream.reset();
  });

  it('rejects a frame of the wrong size, naming the expected length', () => {
    expect(() => stream.step(new Float32Array(10))).toThrow(/'frame' is Float32Array\(10\); expected Float32Array\(88752\)/);
  });

  it('the comparison with the fixture fails when frames are shifted by one', () => {
    expect(compareWithFixture(fixture, { frames, logitsPerFrame }).match).toBe(true);
    const shifted = [logitsPerFrame[0], ...logitsPerFrame.slice(0, -1)];
    const report = compareWithFixture(fixture, { frames, logitsPerFrame: shifted });
    expect(report.match).toBe(false);
    expect(report.full_logits_equal_at_7_digits).toBe(false);
  });

  it('runs the threaded build on worker_threads with the same logits', async () => {
    const threaded = await createTfliteStream({ modelPath: MODEL, threads: 2 });
    try {
      expect(threaded.build).toBe('tflite_web_api_cc_simd_threaded');
      for (let f = 0; f < 4; f++) {
        expect(Array.from(threaded.step(inputs[f])), `frame ${f}`).toEqual(Array.from(logitsPerFrame[f]));
      }
    } finally {
      threaded.close();
    }
  });
});

describe('TFLite reference argument checks', () => {
  it('rejects a thread count outside [1, 64]', async () => {
    await expect(createTfliteStream({ modelPath: MODEL, threads: 0 })).rejects.toThrow(/'threads' is 0; use an integer in \[1, 64\]/);
  });

  it('names a missing model file', async () => {
    await expect(createTfliteStream({ modelPath: '/nonexistent/model.tflite', threads: 1 })).rejects.toThrow(
      /TFLite model not found: \/nonexistent\/model\.tflite/,
    );
  });
});

describe('latency summary', () => {
  it('uses nearest-rank percentiles', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile([...samples].sort((a, b) => a - b), 50)).toBe(5);
    expect(percentile([...samples].sort((a, b) => a - b), 90)).toBe(9);
    expect(summarizeLatencies(samples)).toMatchObject({ mean: 5.5, p50: 5, p90: 9, min: 1, max: 10, n: 10 });
  });
});
