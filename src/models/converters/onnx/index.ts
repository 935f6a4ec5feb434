// ONNX graph building and encoding (platform-free: no node:* imports).
export { createGraphBuilder, attr, DEFAULT_IR_VERSION, DEFAULT_OPSET } from './graph-builder.js';
export type { AttributeInput, GraphBuilder, ModelOptions, NodeOptions, ValueInfo } from './graph-builder.js';
export { ONNX_DATA_TYPES, tensors, elementCount } from './dtypes.js';
export type { OnnxDataType, OnnxTensorData, OnnxTypedArrays } from './dtypes.js';
export { concatChunks, encodeModel, encodeModelChunks } from './onnx-proto.js';
export type { Dim, OnnxAttribute, OnnxGraph, OnnxModel, OnnxNode, OnnxValueInfo } from './onnx-proto.js';
export { decodeModel } from './onnx-reader.js';
