// MMAction2's ActionDataPreprocessor normalisation: float32 `(x_uint8 - mean[c]) / std[c]` with
// float32 mean/std buffers (torch broadcasting). Only 256 inputs exist per channel, so the step is a
// lookup table computed once, rounded exactly like torch's float32 ops.
import { ActionLensError } from '../errors.js';
import type { ImageU8 } from './image.js';

export interface NormalizeSpec {
  /** Per channel, in the channel order of the model input. */
  mean: readonly number[];
  std: readonly number[];
}

/** [3 * 256]: table[c * 256 + v] = float32(float32(v - mean[c]) / std[c]). */
export function normalizationTable(spec: NormalizeSpec): Float32Array {
  for (const [name, values] of [['mean', spec.mean], ['std', spec.std]] as const) {
    if (values.length !== 3 || !values.every(Number.isFinite)) {
      throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `normalize: '${name}' must be 3 finite numbers, got ${JSON.stringify(values)}`);
    }
  }
  if (!spec.std.every((s) => s > 0)) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `normalize: every 'std' value must be > 0, got ${JSON.stringify(spec.std)}`);
  }
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const mean = Math.fround(spec.mean[c]!);
    const std = Math.fround(spec.std[c]!);
    // float32 subtract, then float32 divide (double-then-round is exact for one op on float32 inputs).
    for (let v = 0; v < 256; v++) table[c * 256 + v] = Math.fround(v - mean) / std;
  }
  return table;
}

/** A whole image normalised, still HWC ([H, W, 3] float32); the format step fuses this instead. */
export function normalizeImage(image: ImageU8, spec: NormalizeSpec): Float32Array {
  const table = normalizationTable(spec);
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = table[(i % 3) * 256 + image.data[i]!]!;
  return out;
}
