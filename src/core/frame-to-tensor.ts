// Stream models (MoViNet) take one RGB frame at a time as [1, 1, H, W, 3] float32, scaled to [0, 1].
// The frame is already at the model's size (the decoder resizes), so this is a pure scale + layout.
import { ActionLensError } from './errors.js';
import type { TensorData } from './tensor.js';
import type { RgbFrame } from './video-types.js';

export interface StreamInputSpec {
  width: number;
  height: number;
  /** Multiplier for each uint8 value (1/255 for inputs in [0, 1]). For every uint8 v,
   *  fround(v * (1/255)) equals float32 v / 255, so this rounds exactly as the reference runtime. */
  valueScale: number;
}

export function frameToStreamTensor(frame: RgbFrame, spec: StreamInputSpec): TensorData {
  if (frame.width !== spec.width || frame.height !== spec.height) {
    throw new ActionLensError(
      'AL_ERR_INTERNAL',
      `frame is ${frame.width}x${frame.height}, the model wants ${spec.width}x${spec.height}`,
    );
  }
  const src = frame.data;
  const out = new Float32Array(src.length);
  const s = spec.valueScale;
  for (let i = 0; i < src.length; i++) out[i] = src[i]! * s;
  return { type: 'float32', dims: [1, 1, spec.height, spec.width, 3], data: out }; // [N, T, H, W, C]
}
