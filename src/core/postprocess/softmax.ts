import { ActionLensError } from '../errors.js';

/**
 * Numerically stable softmax: subtracts the max before exponentiating and sums in float64, so
 * logits in the thousands do not overflow and the result sums to 1 within float32 precision.
 * Throws AL_ERR_BAD_MODEL_OUTPUT for an empty vector, NaN or +Infinity (a broken model output).
 */
export function softmax(logits: Float32Array): Float32Array {
  if (logits.length === 0) {
    throw new ActionLensError('AL_ERR_BAD_MODEL_OUTPUT', 'softmax: logits is empty (length 0); expected one score per class.');
  }
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i];
    if (Number.isNaN(v) || v === Infinity) {
      throw new ActionLensError(
        'AL_ERR_BAD_MODEL_OUTPUT',
        `softmax: logits[${i}] is ${v}; expected a finite number or -Infinity.`,
        { hint: 'The model produced invalid scores; check the input tensor and the model file.' },
      );
    }
    if (v > max) max = v;
  }
  if (max === -Infinity) {
    throw new ActionLensError('AL_ERR_BAD_MODEL_OUTPUT', 'softmax: every logit is -Infinity; no class has any score.');
  }
  const out = new Float32Array(logits.length);
  let sum = 0;
  const exps = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i] - max);
    exps[i] = e;
    sum += e;
  }
  for (let i = 0; i < logits.length; i++) out[i] = exps[i] / sum;
  return out;
}
