// Folds an eval-mode BatchNorm into the convolution before it: y = gamma * (conv(x) + b - mean) /
// sqrt(var + eps) + beta becomes one conv with scaled weights and a new bias. Done in float64 and
// rounded once to float32, so the folded conv differs from conv -> BN by float32 rounding only.
import type { WeightSource } from '../weight-source.js';

/** nn.BatchNorm2d / BatchNorm3d default eps. */
export const BN_EPS = 1e-5;

export interface BatchNormParams {
  weight: Float32Array; // gamma [C]
  bias: Float32Array; // beta [C]
  runningMean: Float32Array; // [C]
  runningVar: Float32Array; // [C]
  eps: number;
}

/**
 * `weight` is [C_out, ...] in C order (any kernel rank); `convBias` is the conv's own bias or
 * undefined. Returns a new bias, and the scaled weight in `out` (default: a new array; `out` may
 * be `weight` itself, each value is read before it is written).
 */
export function foldBatchNorm(
  weight: Float32Array,
  outChannels: number,
  bn: BatchNormParams,
  convBias?: Float32Array,
  out?: Float32Array,
): { weight: Float32Array; bias: Float32Array } {
  if (weight.length % outChannels !== 0) {
    throw new RangeError(`foldBatchNorm: weight has ${weight.length} values, not a multiple of outChannels=${outChannels}`);
  }
  const perChannel = weight.length / outChannels;
  if (out && out.length !== weight.length) throw new RangeError(`foldBatchNorm: out has ${out.length} values, weight ${weight.length}`);
  const folded = out ?? new Float32Array(weight.length);
  const bias = new Float32Array(outChannels);
  for (let c = 0; c < outChannels; c++) {
    const scale = bn.weight[c]! / Math.sqrt(bn.runningVar[c]! + bn.eps);
    for (let i = c * perChannel; i < (c + 1) * perChannel; i++) folded[i] = weight[i]! * scale;
    bias[c] = ((convBias ? convBias[c]! : 0) - bn.runningMean[c]!) * scale + bn.bias[c]!;
  }
  return { weight: folded, bias };
}

/** Requests `<prefix>.weight/bias/running_mean/running_var` and declares `<prefix>.num_batches_tracked`. */
export function batchNormParams(weights: WeightSource, prefix: string, channels: number, eps = BN_EPS): BatchNormParams {
  const params: BatchNormParams = {
    weight: weights.param(`${prefix}.weight`, [channels]),
    bias: weights.param(`${prefix}.bias`, [channels]),
    runningMean: weights.param(`${prefix}.running_mean`, [channels]),
    runningVar: weights.param(`${prefix}.running_var`, [channels]),
    eps,
  };
  weights.buffer(`${prefix}.num_batches_tracked`, [], 'int64');
  return params;
}
