// Stream models (MoViNet) take one RGB frame at a time as [1, 1, H, W, 3]: float32 values scaled to
// [0, 1], or, when the model's image input is quantized, the uint8 codes of those values (for
// MoViNet int8 the codes are the pixel bytes themselves: 4x fewer bytes to the worker, no scaling).
// The frame is already at the model's size (the decoder resizes), so this is a pure scale + layout.
import { ActionLensError } from './errors.js';
import { pixelQuantizationTable, type InputQuantization } from './quantized-input.js';
import type { TensorData } from './tensor.js';
import type { RgbFrame } from './video-types.js';

export interface StreamInputSpec {
  width: number;
  height: number;
  /** Multiplier for each uint8 value (1/255 for inputs in [0, 1]). For every uint8 v,
   *  fround(v * (1/255)) equals float32 v / 255, so this rounds exactly as the reference runtime. */
  valueScale: number;
  /** Set when the model's image input takes uint8 codes of the scaled values (see quantized-input.ts). */
  quantization?: InputQuantization;
}

/** A converter for every frame of one stream: the quantization table is built once. */
export function createStreamFrameEncoder(spec: StreamInputSpec): (frame: RgbFrame) => TensorData {
  const dims = [1, 1, spec.height, spec.width, 3]; // [N, T, H, W, C]
  const table = spec.quantization ? pixelQuantizationTable(spec.valueScale, spec.quantization) : undefined;
  const identity = table?.every((code, v) => code === v) ?? false;
  return (frame) => {
    if (frame.width !== spec.width || frame.height !== spec.height) {
      throw new ActionLensError('AL_ERR_INTERNAL', `frame is ${frame.width}x${frame.height}, the model wants ${spec.width}x${spec.height}`);
    }
    const src = frame.data;
    if (table) {
      // A copy either way: the tensor's buffer is handed over to the worker. Uint8Array's own slice,
      // because a Node Buffer's slice() is a view into memory the caller still uses.
      const codes = identity ? Uint8Array.prototype.slice.call(src) : new Uint8Array(src.length);
      if (!identity) for (let i = 0; i < src.length; i++) codes[i] = table[src[i]!]!;
      return { type: 'uint8', dims, data: codes };
    }
    const out = new Float32Array(src.length);
    const s = spec.valueScale;
    for (let i = 0; i < src.length; i++) out[i] = src[i]! * s;
    return { type: 'float32', dims, data: out };
  };
}

export function frameToStreamTensor(frame: RgbFrame, spec: StreamInputSpec): TensorData {
  return createStreamFrameEncoder(spec)(frame);
}
