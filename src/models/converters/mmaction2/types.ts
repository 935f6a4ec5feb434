// The contract every MMAction2 family builder follows: config's model dict + weights in, one ONNX
// recognizer out. Families are listed in one typed table (./families.ts).
import { concatChunks } from '../onnx/index.js';
import type { WeightSource } from './weight-source.js';

/** cfg.model of an MMAction2 config as plain JSON (tuples become arrays). */
export interface Mmaction2ModelDict {
  type: string; // 'Recognizer2D' | 'Recognizer3D'
  backbone: { type: string; [k: string]: unknown };
  cls_head: { type: string; num_classes: number; [k: string]: unknown };
  data_preprocessor?: { [k: string]: unknown };
  [k: string]: unknown;
}

export interface BuildOptions {
  /**
   * Size of one view, without the views axis: 2D recognizers [segments, 3, H, W]
   * (segments = the config's num_clips), 3D recognizers [3, T, H, W].
   */
  viewShape: readonly number[];
}

/**
 * The ONNX graph takes `input` [V, ...viewShape] (V = views, symbolic 'views') holding the already
 * normalised recognizer input, and returns `logits` [V, num_classes]: the head's class scores for
 * each view (`stage='head'` in MMAction2), before average_clips (done in postprocess).
 */
export interface BuiltRecognizer {
  /** The model in one buffer: made from onnxChunks on first read (a second copy of the weights). */
  readonly onnx: Uint8Array;
  /** The model as chunks that share the weights' memory: write these out to avoid the copy. */
  readonly onnxChunks: readonly Uint8Array[];
  inputName: 'input';
  outputName: 'logits';
  numClasses: number;
}

/** A BuiltRecognizer over serialised chunks; `onnx` is concatenated only if someone reads it. */
export function builtRecognizer(onnxChunks: Uint8Array[], numClasses: number): BuiltRecognizer {
  let bytes: Uint8Array | undefined;
  return {
    get onnx() {
      bytes ??= concatChunks(onnxChunks);
      return bytes;
    },
    onnxChunks,
    inputName: 'input',
    outputName: 'logits',
    numClasses,
  };
}

export type RecognizerBuilder = (model: Mmaction2ModelDict, weights: WeightSource, opts: BuildOptions) => BuiltRecognizer;
