// Post-training int8 quantization of converted float32 ONNX recognizers (platform-free): plan the
// values to quantize, measure their ranges with a calibration copy of the model, rewrite to QDQ.
// Running the calibration model is the caller's job (src/app), as it needs a runtime and videos.
export { planQdq, type ConvSite, type QdqPlan } from './qdq-plan.js';
export { buildCalibrationModel, createRangeTracker, type CalibrationOutputs } from './calibration-model.js';
export { insertQdq } from './insert-qdq.js';
export { activationParams, quantizeWeightsPerChannel, quantizeBias, type ActivationParams, type ValueRange } from './quant-params.js';

/** Part of the int8 artifact's cache key: bump it whenever the QDQ graphs written here change. */
export const QUANTIZER_VERSION = 'qdq-int8-2';
