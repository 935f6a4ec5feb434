// Types for onnx-op-types.mjs.
/** Op types of the main graph's nodes, in graph order. */
export function readOnnxOpTypes(modelBytes: Uint8Array): string[];
