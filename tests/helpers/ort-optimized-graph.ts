// The graph ONNX Runtime actually runs: the model optimised at level 'all' (QDQ fusion, layout
// changes), saved with optimizedModelFilePath and decoded, so tests can count its kernels.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { decodeModel, type OnnxModel } from '../../src/models/converters/onnx/index.js';

export async function ortOptimizedGraph(model: Uint8Array, path: string, threads = 1): Promise<OnnxModel> {
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    optimizedModelFilePath: path,
    logSeverityLevel: 3, // not the warning that an 'all'-level file is specific to this CPU: it is read here only
  });
  await session.release();
  // A copy: decodeModel views aligned raw_data in place, and readFileSync's Buffer may be unaligned.
  return decodeModel(new Uint8Array(readFileSync(path)));
}
