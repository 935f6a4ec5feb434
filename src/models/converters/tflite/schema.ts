// The subset of the TFLite schema (tensorflow/lite/schema/schema.fbs) the converter reads,
// as plain data. Enum values are the schema's numbers.

export const TENSOR_TYPES = {
  0: 'float32', 1: 'float16', 2: 'int32', 3: 'uint8', 4: 'int64', 5: 'string', 6: 'bool',
  7: 'int16', 8: 'complex64', 9: 'int8', 10: 'float64',
} as const;
export type TfliteTensorType = (typeof TENSOR_TYPES)[keyof typeof TENSOR_TYPES] | 'unknown';

/** Builtin operator codes the converter knows by name (others are reported by number). */
export const BUILTIN_OPERATORS: Record<number, string> = {
  0: 'ADD', 1: 'AVERAGE_POOL_2D', 2: 'CONCATENATION', 3: 'CONV_2D', 4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE', 9: 'FULLY_CONNECTED', 14: 'LOGISTIC', 17: 'MAX_POOL_2D', 18: 'MUL', 19: 'RELU',
  21: 'RELU6', 22: 'RESHAPE', 23: 'RESIZE_BILINEAR', 25: 'SOFTMAX', 28: 'TANH', 32: 'CUSTOM', 34: 'PAD',
  39: 'TRANSPOSE', 40: 'MEAN', 41: 'SUB', 42: 'DIV', 43: 'SQUEEZE', 45: 'STRIDED_SLICE', 53: 'CAST',
  74: 'SUM', 114: 'QUANTIZE', 117: 'HARD_SWISH',
};

export const FUSED_ACTIVATIONS = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

export interface TfliteQuantization {
  scale: Float32Array;
  zeroPoint: BigInt64Array;
  quantizedDimension: number;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: TfliteTensorType;
  /** Constant data (a view into the file), or undefined for activations. */
  data?: Uint8Array;
  quantization?: TfliteQuantization;
  isVariable: boolean;
}

export interface TfliteOperator {
  index: number;
  /** Builtin name, e.g. 'CONV_2D', or 'BUILTIN_<n>' / 'CUSTOM:<name>' when unknown. */
  opName: string;
  inputs: number[];
  outputs: number[];
  /** The builtin options table, read lazily by each op's converter. */
  options?: import('./flatbuffer-table.js').FlatTable;
}

export interface TfliteSignature {
  key: string;
  inputs: { name: string; tensorIndex: number }[];
  outputs: { name: string; tensorIndex: number }[];
}

export interface TfliteModel {
  version: number;
  description?: string;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
  signatures: TfliteSignature[];
}
