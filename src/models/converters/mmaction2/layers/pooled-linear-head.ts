// The head shared by TSNHead, TSMHead and I3DHead at inference: global average pooling, mean over
// the feature maps that belong to one view (segments, or the frames of C2D), then fc_cls.
// TSMHead applies fc_cls before the segment mean; both are linear, so the order only changes
// float rounding, and pooling first runs the Gemm on V rows instead of V * S.
import { tensors, type GraphBuilder } from '../../onnx/index.js';
import { builtRecognizer, type BuiltRecognizer } from '../types.js';
import type { WeightSource } from '../weight-source.js';
import { linear } from './classifier-ops.js';
import type { FeatureMap } from './feature-map.js';

export interface PooledHeadOptions {
  /** How many consecutive batch rows form one view (1 for a 3D backbone). */
  rowsPerView: number;
  numClasses: number;
  /** state_dict prefix of the linear layer. */
  fcPrefix?: string;
}

/** x [V * rows, C, ...] -> `logits` [V, num_classes]. */
export function pooledLinearHead(g: GraphBuilder, weights: WeightSource, x: FeatureMap, opts: PooledHeadOptions): string {
  const channels = x.dims[0]!;
  const [pooled] = g.node('GlobalAveragePool', [x.name], {}, { outputs: [g.uniqueName('head.pool')] }); // [V * rows, C, 1, 1(, 1)]
  const [rows] = g.node('Reshape', [pooled!, g.constant('head.rows_shape', tensors.int64([-1, opts.rowsPerView, channels]))], {}, { outputs: [g.uniqueName('head.rows')] }); // [V, rows, C]
  const [perView] = g.node('ReduceMean', [rows!], { axes: [1], keepdims: 0 }, { outputs: [g.uniqueName('head.consensus')] }); // [V, C]
  return linear(g, weights, opts.fcPrefix ?? 'cls_head.fc_cls', perView!, { inFeatures: channels, outFeatures: opts.numClasses, bias: true, outputName: 'logits' });
}

/** Declares `logits` [views, num_classes] as the graph output and serialises the model. */
export function finishRecognizer(g: GraphBuilder, logits: string, numClasses: number, family: string): BuiltRecognizer {
  g.output(logits, 'float32', ['views', numClasses]);
  return builtRecognizer(g.toModelChunks({ producer: 'actionlens', opset: 17, metadata: { mmaction2_family: family } }), numClasses);
}
