// createInferenceSession against real ONNX Runtime in its worker thread, on tiny models built with
// the project's graph builder. Needs the built worker script (`npm run build`).
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TensorData } from '../../src/core/tensor.js';
import { createInferenceSession, type InferenceSession } from '../../src/runtime/session.js';
import { recordingLogger } from '../store/helpers.js';
import { accumulatorStreamModel, affineModel, makeModelDir, quantizedAccumulatorStreamModel, slowMatMulModel, type ModelDir } from './tiny-models.js';
import { rejection } from '../helpers/rejection.js';

let models: ModelDir;
beforeAll(() => {
  models = makeModelDir();
});
afterAll(() => models.cleanup());

const f32 = (dims: number[], values: number[]): TensorData => ({ type: 'float32', dims, data: Float32Array.from(values) });

/** Opens a session, runs the body, always closes (a leaked worker keeps vitest's fork alive). */
async function withSession<T>(file: string, body: (s: InferenceSession) => Promise<T>, opts: Parameters<typeof createInferenceSession>[1] = {}): Promise<T> {
  const s = await createInferenceSession(file, { threads: 1, ...opts });
  try {
    return await body(s);
  } finally {
    await s.close();
  }
}

describe('createInferenceSession: run', () => {
  it('computes every output of a two-output model and reports its interface', async () => {
    const file = models.write('affine', affineModel([2, -1, 0.5], [1, 0, -3]));
    await withSession(file, async (s) => {
      expect(s.provider).toBe('cpu');
      expect(s.info.fallbacks).toEqual([]);
      expect(s.info.inputs).toEqual([{ name: 'x', type: 'float32', dims: [2, 3] }]);
      expect(s.info.outputs.map((o) => o.name).sort()).toEqual(['s', 'y']);
      expect(s.info.ortVersion).toMatch(/^\d+\.\d+/);

      const x = [1, 2, 3, -4, 5, 0.25];
      const out = await s.run({ x: f32([2, 3], x) });
      expect(out.y.dims).toEqual([2, 3]);
      const scale = [2, -1, 0.5];
      const bias = [1, 0, -3];
      expect(Array.from(out.y.data as Float32Array)).toEqual(x.map((v, i) => v * scale[i % 3] + bias[i % 3]));
      expect(out.s.dims).toEqual([2]);
      expect(Array.from(out.s.data as Float32Array)).toEqual([1 + 2 + 3, -4 + 5 + 0.25]);
    });
  });

  it('returns only the requested outputs, and a bad feed rejects without killing the session', async () => {
    const file = models.write('affine-2', affineModel([1, 1, 1], [0, 0, 0]));
    await withSession(file, async (s) => {
      const only = await s.run({ x: f32([2, 3], [1, 1, 1, 2, 2, 2]) }, ['s']);
      expect(Object.keys(only)).toEqual(['s']);
      expect(Array.from(only.s.data as Float32Array)).toEqual([3, 6]);

      const wrongName = await rejection(s.run({ nope: f32([2, 3], [0, 0, 0, 0, 0, 0]) }));
      expect(wrongName.code).toBe('AL_ERR_INFERENCE_FAILED');
      const wrongShape = await rejection(s.run({ x: f32([3, 2], [0, 0, 0, 0, 0, 0]) }));
      expect(wrongShape.code).toBe('AL_ERR_INFERENCE_FAILED');

      const again = await s.run({ x: f32([2, 3], [1, 2, 3, 4, 5, 6]) }, ['s']);
      expect(Array.from(again.s.data as Float32Array)).toEqual([6, 15]);
    });
  });
});

describe('createInferenceSession: feeds cross to the worker without a copy', () => {
  it('transfers the feed buffers (the caller keeps empty arrays), also when two feeds view one buffer', async () => {
    const file = models.write('accumulator-feeds', accumulatorStreamModel(2));
    await withSession(file, async (s) => {
      const image = Float32Array.from([5, 6]);
      const out = await s.run({ image: { type: 'float32', dims: [1, 2], data: image }, state: f32([1, 2], [1, 1]) });
      expect(Array.from(out.logits.data as Float32Array)).toEqual([6, 7]);
      expect(image.length).toBe(0); // detached: documented on InferenceSession.run

      // One buffer, two views (a pooled allocation): used to reject with a raw DataCloneError.
      const pool = Float32Array.from([1, 2, 30, 40]);
      const shared = await s.run({
        image: { type: 'float32', dims: [1, 2], data: pool.subarray(0, 2) },
        state: { type: 'float32', dims: [1, 2], data: pool.subarray(2, 4) },
      });
      expect(Array.from(shared.logits.data as Float32Array)).toEqual([31, 42]);
    });
  });
});

describe('createInferenceSession: streams', () => {
  it('carries the state from step to step, and reset() starts again from zeros', async () => {
    const file = models.write('accumulator', accumulatorStreamModel(4));
    await withSession(file, async (s) => {
      const stream = await s.openStream({ imageInput: 'image', logitsOutput: 'logits', states: [{ input: 'state', output: 'state_out' }] });
      const frames = [
        [1, 2, 3, 4],
        [10, 20, 30, 40],
        [0.5, -0.5, 0, 100],
      ];
      const running = [0, 0, 0, 0];
      for (const frame of frames) {
        const logits = await stream.step(f32([1, 4], frame));
        frame.forEach((v, i) => (running[i] += v));
        // the symbolic 'batch' dim of the state was opened as 1
        expect(logits.dims).toEqual([1, 4]);
        expect(Array.from(logits.data as Float32Array)).toEqual(running);
      }

      await stream.reset();
      const fresh = await stream.step(f32([1, 4], [7, 8, 9, 10]));
      expect(Array.from(fresh.data as Float32Array)).toEqual([7, 8, 9, 10]);
    });
  });

  it('follows the quantized interface in the model metadata: uint8 image codes, states starting at their zero point', async () => {
    const bytes = quantizedAccumulatorStreamModel(3);
    const file = models.write('quantized-accumulator', bytes);
    await withSession(file, async (s) => {
      expect(s.info.metadata['actionlens.state_names']).toBe(JSON.stringify([{ input: 'state', output: 'state_out' }]));
      const stream = await s.openStream({ imageInput: 'image', logitsOutput: 'logits', states: [{ input: 'state', output: 'state_out' }] });
      expect(stream.image).toEqual({ name: 'image', type: 'uint8', dims: [1, 3], quantization: { scale: 0.5, zeroPoint: 0 } });
      const codes = (values: number[]): TensorData => ({ type: 'uint8', dims: [1, 3], data: Uint8Array.from(values) });
      // real image = code * 0.5; a state started at code 0 instead of its zero point 100 would add -50
      expect(Array.from((await stream.step(codes([2, 4, 6]))).data)).toEqual([1, 2, 3]);
      expect(Array.from((await stream.step(codes([2, 0, 20]))).data)).toEqual([2, 2, 13]);
      await stream.reset();
      expect(Array.from((await stream.step(codes([8, 8, 8]))).data)).toEqual([4, 4, 4]);
    });
    // in-memory model bytes carry the same metadata
    const inMemory = await createInferenceSession(bytes.slice(), { threads: 1 });
    try {
      expect(JSON.parse(inMemory.info.metadata['actionlens.quantized_inputs']!)).toEqual({ image: { scale: 0.5, zero_point: 0 }, state: { scale: 0.5, zero_point: 100 } });
    } finally {
      await inMemory.close();
    }
  });

  it('rejects a stream whose state name is not a model input, naming it', async () => {
    const file = models.write('accumulator-bad', accumulatorStreamModel(2));
    await withSession(file, async (s) => {
      const e = await rejection(s.openStream({ imageInput: 'image', logitsOutput: 'logits', states: [{ input: 'hidden', output: 'state_out' }] }));
      expect(e.code).toBe('AL_ERR_INFERENCE_FAILED');
      expect(e.message).toContain("'hidden'");
    });
  });
});

describe('createInferenceSession: threading', () => {
  /** Counts 10 ms timer ticks while `work` runs: a free event loop ticks about every 10 ms. */
  async function ticksDuring(work: () => Promise<unknown>): Promise<{ ticks: number; ms: number }> {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
    return { ticks, ms: performance.now() - t0 };
  }

  it('keeps the event loop free while a long run works in the worker (where ONNX Runtime on this thread blocks it)', async () => {
    const n = 512;
    const model = slowMatMulModel(n, 300);
    const file = models.write('slow', model);
    const x = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 101) / 10 - 5);
    const rowMeans = Array.from({ length: n }, (_, r) => x.subarray(r * n, (r + 1) * n).reduce((a, b) => a + b, 0) / n);

    // The contrast that shows the check can fail: the same model on the main thread.
    const direct = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
    try {
      const blocked = await ticksDuring(() => direct.run({ x: new ort.Tensor('float32', x.slice(), [n, n]) }));
      expect(blocked.ms).toBeGreaterThan(150);
      expect(blocked.ticks).toBeLessThanOrEqual(1);
    } finally {
      await direct.release();
    }

    await withSession(file, async (s) => {
      let out: Record<string, TensorData> = {};
      const free = await ticksDuring(async () => {
        out = await s.run({ x: { type: 'float32', dims: [n, n], data: x.slice() } });
      });
      expect(free.ms).toBeGreaterThan(150);
      expect(free.ticks).toBeGreaterThanOrEqual(Math.max(5, Math.floor((free.ms / 10) * 0.25)));
      const y = out.y.data as Float32Array;
      for (const r of [0, 1, n - 1]) for (const c of [0, n - 1]) expect(y[r * n + c]).toBeCloseTo(rowMeans[r], 3);
    });
  });
});

describe('createInferenceSession: providers and failures', () => {
  it('falls back to cpu when the preferred execution provider does not exist, and says why', async () => {
    const file = models.write('affine-ep', affineModel([1, 1, 1], [0, 0, 0]));
    const logger = recordingLogger();
    await withSession(
      file,
      async (s) => {
        expect(s.provider).toBe('cpu');
        expect(s.info.fallbacks).toHaveLength(1);
        expect(s.info.fallbacks[0].provider).toBe('no-such-ep');
        expect(s.info.fallbacks[0].reason.length).toBeGreaterThan(0);
        const out = await s.run({ x: f32([2, 3], [1, 2, 3, 4, 5, 6]) }, ['s']);
        expect(Array.from(out.s.data as Float32Array)).toEqual([6, 15]);
      },
      { executionProviders: ['no-such-ep', 'cpu'], logger },
    );
    expect(logger.lines.some((l) => l.level === 'warn' && JSON.stringify(l.obj).includes('no-such-ep'))).toBe(true);
  });

  it('a corrupt .onnx file gives AL_ERR_RUNTIME_INIT naming the file, with a hint', async () => {
    const file = path.join(models.dir, 'corrupt.onnx');
    const good = affineModel([1, 1, 1], [0, 0, 0]);
    writeFileSync(file, good.subarray(0, Math.floor(good.length / 2)));
    const e = await rejection(createInferenceSession(file, { threads: 1 }));
    expect(e.code).toBe('AL_ERR_RUNTIME_INIT');
    expect(e.message).toContain(file);
    expect(e.hint).toMatch(/delete it/);

    const missing = await rejection(createInferenceSession(path.join(models.dir, 'missing.onnx'), { threads: 1 }));
    expect(missing.code).toBe('AL_ERR_RUNTIME_INIT');
  });

  it('after close(), run and stream steps reject with a clear error, and close() may be called again', async () => {
    const file = models.write('closed', accumulatorStreamModel(2));
    const s = await createInferenceSession(file, { threads: 1 });
    const stream = await s.openStream({ imageInput: 'image', logitsOutput: 'logits', states: [{ input: 'state', output: 'state_out' }] });
    await s.close();
    const e = await rejection(s.run({ image: f32([1, 2], [1, 2]), state: f32([1, 2], [0, 0]) }));
    expect(e.code).toBe('AL_ERR_INFERENCE_FAILED');
    expect(e.message).toMatch(/closed/);
    expect((await rejection(stream.step(f32([1, 2], [1, 2])))).message).toMatch(/closed/);
    await expect(s.close()).resolves.toBeUndefined();
  });
});
