// Golden parity for one MMAction2 fixture: deterministic weights -> our ONNX -> onnxruntime-node,
// compared with the logits MMAction2 computed (key set, shapes and values).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInferenceSession } from '../../src/runtime/session.js';
import type { RecognizerBuilder, Mmaction2ModelDict } from '../../src/models/converters/mmaction2/types.js';
import { createGoldenSource, goldenInput } from '../../src/models/converters/mmaction2/golden-weights.js';

export const FIXTURES = resolve(process.cwd(), '../shared/fixtures/mmaction2');

export interface GoldenFixture {
  name: string;
  model: Mmaction2ModelDict;
  recognizer: string;
  state_dict: [string, number[], string, string][];
  input: { shape: number[] };
  logits: { shape: number[]; values: number[] | number[][] };
  two_view?: { input_shape: number[]; logits: { shape: number[]; values: number[][] } };
}

export function loadFixture(name: string): GoldenFixture {
  return JSON.parse(readFileSync(resolve(FIXTURES, `${name}.json`), 'utf8')) as GoldenFixture;
}

export interface ParityReport {
  missingKeys: string[];
  unexpectedKeys: string[];
  shapeMismatches: string[];
  maxAbsDiff: number;
  maxAbsRef: number;
  /** max |diff| / max(1, max |ref|): the parity criterion is <= 1e-3. */
  relError: number;
  views: number;
}

const flat = (v: number[] | number[][]): number[] => (Array.isArray(v[0]) ? (v as number[][]).flat() : (v as number[]));

/** Runs one fixture; `twoView` uses the fixture's 2-view input and logits instead of the single view. */
export async function runParity(fx: GoldenFixture, build: RecognizerBuilder, opts: { twoView?: boolean; threads?: number } = {}): Promise<ParityReport> {
  const inputShape = opts.twoView ? fx.two_view!.input_shape : fx.input.shape;
  const is3d = fx.recognizer === 'Recognizer3D' || inputShape.length === 6;
  // 2D: [1, views*segments, 3, H, W] -> views = total / single-view segments. 3D: [1, views, 3, T, H, W].
  const viewShape = is3d ? fx.input.shape.slice(2) : fx.input.shape.slice(1);
  const views = is3d ? inputShape[1]! : inputShape[1]! / fx.input.shape[1]!;

  const source = createGoldenSource();
  const built = build(fx.model, source, { viewShape });

  const expected = new Map(fx.state_dict.map(([k, s]) => [k, s.join(',')]));
  const got = new Map(source.declared().map((d) => [d.key, d.shape.join(',')]));
  const missingKeys = [...expected.keys()].filter((k) => !got.has(k));
  const unexpectedKeys = [...got.keys()].filter((k) => !expected.has(k));
  const shapeMismatches = [...got.entries()]
    .filter(([k, s]) => expected.has(k) && expected.get(k) !== s)
    .map(([k, s]) => `${k}: ours [${s}] fixture [${expected.get(k)}]`);

  // In the project's worker session: a multi-second run must not block this test process's event
  // loop (vitest's worker RPC times out when it is starved for a minute on a loaded machine).
  const session = await createInferenceSession(built.onnx, { threads: opts.threads ?? 2 });
  try {
    const data = goldenInput(inputShape);
    const out = await session.run({ input: { type: 'float32', data, dims: [views, ...viewShape] } });
    const logits = out[built.outputName]!.data as Float32Array;
    const ref = flat(opts.twoView ? fx.two_view!.logits.values : fx.logits.values);
    if (logits.length !== ref.length) throw new Error(`logits have ${logits.length} values, fixture has ${ref.length}`);
    let maxAbsDiff = 0;
    let maxAbsRef = 0;
    for (let i = 0; i < ref.length; i++) {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(logits[i]! - ref[i]!));
      maxAbsRef = Math.max(maxAbsRef, Math.abs(ref[i]!));
    }
    return { missingKeys, unexpectedKeys, shapeMismatches, maxAbsDiff, maxAbsRef, relError: maxAbsDiff / Math.max(1, maxAbsRef), views };
  } finally {
    await session.close();
  }
}
