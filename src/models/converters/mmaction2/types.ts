// The contract every MMAction2 family builder follows: config's model dict + weights in, one ONNX
// recognizer out. Families are listed in one typed table (./families.ts).
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
  onnx: Uint8Array;
  inputName: 'input';
  outputName: 'logits';
  numClasses: number;
}

export type RecognizerBuilder = (model: Mmaction2ModelDict, weights: WeightSource, opts: BuildOptions) => BuiltRecognizer;
