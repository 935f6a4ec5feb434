// Converters from an official artifact to the one internal format, ONNX. Each is pure TypeScript,
// runs once on first use, and its version is part of the cache key of what it produced.
import { ActionLensError } from '../../core/errors.js';
import type { ConverterKind, ModelSpec } from '../spec.js';
import { convertMmaction2CheckpointDetailed, MMACTION2_CONVERTER_VERSION } from './mmaction2/convert-checkpoint.js';
import { convertTfliteToOnnx, TFLITE_CONVERTER_VERSION } from './tflite/index.js';

export interface ArtifactConverter {
  version: string;
  /**
   * The spec tells architecture-agnostic formats (a .pth holds only weights) what to build. `bytes`
   * are handed over: a converter may overwrite them (the store reads them for this call only).
   */
  /** ONNX bytes, or chunks of them (written out one by one: no second copy of the weights). */
  convert(bytes: Uint8Array, spec: ModelSpec): Promise<Uint8Array | readonly Uint8Array[]>;
}

const CONVERTERS: Record<ConverterKind, ArtifactConverter | undefined> = {
  tflite: { version: TFLITE_CONVERTER_VERSION, convert: async (bytes) => convertTfliteToOnnx(bytes).onnx },
  // An ONNX artifact is used as it is.
  onnx: { version: 'onnx-as-is-1', convert: async (bytes) => bytes },
  'mmaction2-pth': { version: MMACTION2_CONVERTER_VERSION, convert: async (bytes, spec) => convertMmaction2CheckpointDetailed(bytes, spec, { consumeInput: true }).onnxChunks },
};

export function converterFor(kind: ConverterKind): ArtifactConverter {
  const c = CONVERTERS[kind];
  if (!c) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `No converter for '${kind}' artifacts in this version.`, {
      hint: `Pick a model whose converter is one of ${Object.entries(CONVERTERS).filter(([, v]) => v).map(([k]) => k).join(', ')} (\`actionlens models list\`).`,
    });
  }
  return c;
}
