// Checks a recognizer's backbone features against the statistics the golden fixture recorded for
// MMAction2's stage='backbone' output (shape, mean, std, min, max, sum, first 8 values). Logits
// alone are dominated by the head's bias; this pins down the backbone itself.
import { createInferenceSession } from '../../src/runtime/session.js';
import { expect } from 'vitest';
import { createGoldenSource, goldenInput } from '../../src/models/converters/mmaction2/golden-weights.js';
import type { GoldenFixture } from './parity-harness.js';
import type { BuildOptions, BuiltRecognizer, Mmaction2ModelDict } from '../../src/models/converters/mmaction2/types.js';
import type { WeightSource } from '../../src/models/converters/mmaction2/weight-source.js';

export interface FeatureStats {
  shape: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
  sum: number;
  first8: number[];
}

export function featureStats(data: Float32Array, shape: readonly number[]): FeatureStats {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / data.length;
  let sq = 0;
  for (const v of data) sq += (v - mean) ** 2;
  // torch.std is the unbiased estimate
  return { shape: [...shape], mean, std: Math.sqrt(sq / (data.length - 1)), min, max, sum, first8: Array.from(data.subarray(0, 8)) };
}

type GraphBuild = (model: Mmaction2ModelDict, weights: WeightSource, opts: BuildOptions) => BuiltRecognizer;

/** Runs the single-view fixture input and returns the stats of each named backbone output. */
export async function backboneFeatureStats(fx: GoldenFixture, build: GraphBuild, outputs: readonly string[]): Promise<FeatureStats[]> {
  const viewShape = fx.input.shape.slice(2); // [1, 1, C, T, H, W] -> [C, T, H, W]
  const built = build(fx.model, createGoldenSource(), { viewShape });
  const session = await createInferenceSession(built.onnx, { threads: 2 }); // worker: keeps this event loop free
  try {
    const out = await session.run({ input: { type: 'float32', data: goldenInput(fx.input.shape), dims: [1, ...viewShape] } }, [...outputs]);
    return outputs.map((name) => featureStats(out[name]!.data as Float32Array, out[name]!.dims));
  } finally {
    await session.close();
  }
}

/** The fixture's recorded backbone stats: one entry, or one per output for tuple backbones. */
export function fixtureBackboneStats(fx: GoldenFixture): FeatureStats[] {
  const recorded = (fx as unknown as { intermediates: { backbone: FeatureStats | FeatureStats[] } }).intermediates.backbone;
  return Array.isArray(recorded) ? recorded : [recorded];
}

/** Our stats within 1e-4 of the fixture's (relative to max(1, |max|)); the sum within 1e-5 relative. */
export function expectStatsClose(ours: FeatureStats, ref: FeatureStats): void {
  expect(ours.shape).toEqual(ref.shape);
  const scale = Math.max(1, Math.abs(ref.max));
  for (const k of ['mean', 'std', 'min', 'max'] as const) expect(Math.abs(ours[k] - ref[k]), k).toBeLessThanOrEqual(1e-4 * scale);
  expect(Math.abs(ours.sum - ref.sum), 'sum').toBeLessThanOrEqual(1e-5 * Math.abs(ref.sum) + 1e-3);
  ours.first8.forEach((v, i) => expect(Math.abs(v - ref.first8[i]!), `first8[${i}]`).toBeLessThanOrEqual(1e-4 * scale));
}
