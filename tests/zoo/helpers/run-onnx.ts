// Test helper: runs a converted recognizer on the golden input and measures the distance to the
// fixture's logits with the project's parity criterion.
import { createInferenceSession } from '../../../src/runtime/session.js';
import { goldenInput } from '../../../src/models/converters/mmaction2/golden-weights.js';
import type { GoldenFixture } from '../../mmaction2/parity-harness.js';

export interface LogitsComparison {
  logitsShape: readonly number[];
  /** max|diff| / max(1, max|ref|), the parity criterion (<= 1e-3). */
  relError: number;
}

/**
 * `onnx` takes `input` [V, ...viewShape]; feeds the fixture's single view. `classes` compares only
 * the first N fixture logits (a head cut to N classes keeps the golden weights' first N rows).
 */
export async function compareWithFixture(onnx: Uint8Array, fx: GoldenFixture, viewShape: readonly number[], classes?: number): Promise<LogitsComparison> {
  // A copy goes to the worker (the caller may still compare the bytes); the run never blocks this thread.
  const session = await createInferenceSession(onnx.slice(), { threads: 2 });
  try {
    const data = goldenInput(fx.input.shape); // [1, segments, C, H, W] or [1, 1, C, T, H, W]: one view
    const out = await session.run({ input: { type: 'float32', data, dims: [1, ...viewShape] } });
    const logits = out.logits!;
    const ref = (fx.logits.values as number[][]).flat().slice(0, classes);
    const got = logits.data as Float32Array;
    if (got.length !== ref.length) throw new Error(`logits have ${got.length} values, fixture has ${ref.length}`);
    let maxDiff = 0;
    let maxRef = 0;
    ref.forEach((r, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(got[i]! - r));
      maxRef = Math.max(maxRef, Math.abs(r));
    });
    return { logitsShape: logits.dims, relError: maxDiff / Math.max(1, maxRef) };
  } finally {
    await session.close();
  }
}
