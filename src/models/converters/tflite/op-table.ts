// The TFLite operators the converter supports, one entry per builtin, each pointing at its op group.
import type { ConversionContext } from './context.js';
import { convertConv2d, convertDepthwiseConv2d } from './ops/conv.js';
import { binaryConverter } from './ops/elementwise.js';
import { poolConverter } from './ops/pool.js';
import { convertCast, convertDequantize, convertQuantize } from './ops/quantize.js';
import { reduceConverter } from './ops/reduce.js';
import { convertConcatenation, convertReshape, convertStridedSlice } from './ops/shape.js';
import type { TfliteOperator } from './schema.js';

export type OpConverter = (op: TfliteOperator, ctx: ConversionContext) => void;

export const TFLITE_OP_CONVERTERS = {
  CONV_2D: convertConv2d,
  DEPTHWISE_CONV_2D: convertDepthwiseConv2d,
  AVERAGE_POOL_2D: poolConverter('AveragePool'),
  MAX_POOL_2D: poolConverter('MaxPool'),
  ADD: binaryConverter('ADD'),
  SUB: binaryConverter('SUB'),
  MUL: binaryConverter('MUL'),
  DIV: binaryConverter('DIV'),
  RESHAPE: convertReshape,
  CONCATENATION: convertConcatenation,
  STRIDED_SLICE: convertStridedSlice,
  SUM: reduceConverter('ReduceSum'),
  MEAN: reduceConverter('ReduceMean'),
  QUANTIZE: convertQuantize,
  DEQUANTIZE: convertDequantize,
  CAST: convertCast,
} as const satisfies Record<string, OpConverter>;

export type SupportedTfliteOp = keyof typeof TFLITE_OP_CONVERTERS;

export function isSupportedTfliteOp(name: string): name is SupportedTfliteOp {
  return Object.hasOwn(TFLITE_OP_CONVERTERS, name);
}
