// TFLite -> ONNX conversion (platform-free: takes bytes, returns bytes).
export { convertTfliteToOnnx, STATE_NAMES_METADATA_KEY, STATE_OUTPUT_SUFFIX, TFLITE_CONVERTER_VERSION } from './convert.js';
export type { StateName, TensorSignature, TfliteConversionOptions, TfliteConversionResult } from './convert.js';
export { readTfliteModel } from './reader.js';
export type { TfliteModel, TfliteOperator, TfliteTensor, TfliteQuantization, TfliteSignature } from './schema.js';
export { TFLITE_OP_CONVERTERS, type SupportedTfliteOp } from './op-table.js';
