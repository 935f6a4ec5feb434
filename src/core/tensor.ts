// A tensor as plain data: what crosses the boundary between the core, the runtime worker and the
// browser. Mirrors onnxruntime-common's Tensor without depending on it.

export type TensorType = 'float32' | 'float16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

export type TensorArray = Float32Array | Uint16Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

export interface TensorData {
  type: TensorType;
  dims: readonly number[];
  data: TensorArray;
}

export function numel(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** A zero-filled tensor of the given type and shape (stream states start this way). */
export function zerosTensor(type: TensorType, dims: readonly number[]): TensorData {
  const n = numel(dims);
  switch (type) {
    case 'float32':
      return { type, dims, data: new Float32Array(n) };
    case 'float16':
      return { type, dims, data: new Uint16Array(n) };
    case 'int64':
      return { type, dims, data: new BigInt64Array(n) };
    case 'int32':
      return { type, dims, data: new Int32Array(n) };
    case 'int8':
      return { type, dims, data: new Int8Array(n) };
    case 'uint8':
    case 'bool':
      return { type, dims, data: new Uint8Array(n) };
  }
}
