// The arithmetic of int8 quantization as ONNX Runtime's QDQ kernels expect it: activations as
// uint8 with a zero point (asymmetric, range always holding 0 so zero padding stays exact), conv
// weights as int8 per output channel with zero point 0 (symmetric), biases as int32 in the
// product scale of input and weight so the integer accumulator needs no rescale before adding.

export interface ActivationParams {
  scale: number;
  zeroPoint: number; // uint8
}

export interface ValueRange {
  min: number;
  max: number;
}

const UINT8_MAX = 255;
const INT8_MAX = 127;
const INT32_MAX = 2 ** 31 - 1;

/** uint8 parameters covering [min, max] ∪ {0}; a range of only zeros gets scale 1. */
export function activationParams(range: ValueRange): ActivationParams {
  if (!Number.isFinite(range.min) || !Number.isFinite(range.max)) {
    throw new RangeError(`activation range [${range.min}, ${range.max}] is not finite`);
  }
  const lo = Math.min(0, range.min);
  const hi = Math.max(0, range.max);
  if (hi - lo === 0) return { scale: 1, zeroPoint: 0 };
  const scale = Math.fround((hi - lo) / UINT8_MAX);
  const zeroPoint = Math.min(UINT8_MAX, Math.max(0, Math.round(-lo / scale)));
  return { scale, zeroPoint };
}

export interface ChannelQuantized {
  data: Int8Array;
  /** One scale per output channel (axis 0). */
  scales: Float32Array;
}

/** Symmetric int8 per output channel: q = round(w / s_c), s_c = max|w_c| / 127. */
export function quantizeWeightsPerChannel(weights: Float32Array, outChannels: number): ChannelQuantized {
  if (weights.length % outChannels !== 0) {
    throw new RangeError(`${weights.length} weights do not split into ${outChannels} output channels`);
  }
  const perChannel = weights.length / outChannels;
  const data = new Int8Array(weights.length);
  const scales = new Float32Array(outChannels);
  for (let c = 0; c < outChannels; c++) {
    const start = c * perChannel;
    let absMax = 0;
    for (let i = start; i < start + perChannel; i++) absMax = Math.max(absMax, Math.abs(weights[i]!));
    const scale = absMax === 0 ? 1 : Math.fround(absMax / INT8_MAX);
    scales[c] = scale;
    for (let i = start; i < start + perChannel; i++) {
      data[i] = Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(weights[i]! / scale)));
    }
  }
  return { data, scales };
}

/** Bias in int32 with scale inputScale * weightScale[c] (zero point 0), saturated at int32. */
export function quantizeBias(bias: Float32Array, inputScale: number, weightScales: Float32Array): { data: Int32Array; scales: Float32Array } {
  if (bias.length !== weightScales.length) throw new RangeError(`bias has ${bias.length} values for ${weightScales.length} channels`);
  const data = new Int32Array(bias.length);
  const scales = new Float32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const scale = Math.fround(inputScale * weightScales[c]!);
    scales[c] = scale;
    data[c] = Math.max(-INT32_MAX, Math.min(INT32_MAX, Math.round(bias[c]! / scale)));
  }
  return { data, scales };
}
