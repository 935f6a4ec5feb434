// A value in the graph together with its static shape. The leading (batch) axis is symbolic; every
// other axis is known at build time, because the recognizer's view shape is fixed. Knowing the
// shapes lets each layer size its reshapes and check the weights it asks for.

/** [N, C, H, W] (2D) or [N, C, T, H, W] (3D); `dims` holds everything after N. */
export interface FeatureMap {
  name: string;
  /** [C, H, W] or [C, T, H, W]. */
  dims: readonly number[];
}

/** Output length along one axis of a convolution or pooling window (PyTorch, ceil_mode=False). */
function windowOutput(size: number, kernel: number, stride: number, padding: number, dilation = 1): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Per-axis output extent of a window op (Conv / MaxPool) over `extent`. */
export function windowExtent(
  extent: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  padding: readonly number[],
  dilation?: readonly number[],
): number[] {
  return extent.map((n, i) => windowOutput(n, kernel[i]!, stride[i]!, padding[i]!, dilation?.[i] ?? 1));
}

/** ONNX `pads` for symmetric PyTorch padding: begins for every axis, then ends. */
export const onnxPads = (padding: readonly number[]): number[] => [...padding, ...padding];

