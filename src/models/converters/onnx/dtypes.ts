// ONNX element types the builder can write, with their TensorProto.DataType numbers.
export const ONNX_DATA_TYPES = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
} as const;
export type OnnxDataType = keyof typeof ONNX_DATA_TYPES;

/** Typed array per dtype: float16 is stored as raw uint16 bits, bool as one byte per value. */
export interface OnnxTypedArrays {
  float32: Float32Array;
  uint8: Uint8Array;
  int8: Int8Array;
  int32: Int32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
  float16: Uint16Array;
}

export type OnnxTensorData = {
  [K in OnnxDataType]: { dtype: K; dims: readonly number[]; data: OnnxTypedArrays[K] };
}[OnnxDataType];

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Little-endian bytes of a tensor, as ONNX raw_data wants them. */
export function tensorRawBytes(t: OnnxTensorData): Uint8Array {
  const d = t.data;
  // All supported platforms are little-endian. A view, not a copy: the bytes are copied once when
  // the model is finished, and initializer data is never written to after it is handed over.
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Convenience constructors for small constant tensors. */
export const tensors = {
  float32: (values: ArrayLike<number>, dims: readonly number[] = [values.length]): OnnxTensorData => ({
    dtype: 'float32', dims, data: Float32Array.from(values),
  }),
  int64: (values: ArrayLike<number | bigint>, dims: readonly number[] = [values.length]): OnnxTensorData => ({
    dtype: 'int64', dims, data: BigInt64Array.from(Array.from(values, (v) => BigInt(v))),
  }),
  int32: (values: ArrayLike<number>, dims: readonly number[] = [values.length]): OnnxTensorData => ({
    dtype: 'int32', dims, data: Int32Array.from(values),
  }),
  int8: (values: ArrayLike<number>, dims: readonly number[] = [values.length]): OnnxTensorData => ({
    dtype: 'int8', dims, data: Int8Array.from(values),
  }),
  uint8: (values: ArrayLike<number>, dims: readonly number[] = [values.length]): OnnxTensorData => ({
    dtype: 'uint8', dims, data: Uint8Array.from(values),
  }),
  bool: (values: ArrayLike<boolean>, dims: readonly number[] = [values.length]): OnnxTensorData => ({
    dtype: 'bool', dims, data: Uint8Array.from(Array.from(values, (v) => (v ? 1 : 0))),
  }),
};
