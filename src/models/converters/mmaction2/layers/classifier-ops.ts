// The ops recognition heads share: global pooling to one vector per sample, and nn.Linear.
import type { GraphBuilder } from '../../onnx/index.js';
import type { WeightSource } from '../weight-source.js';

/** AdaptiveAvgPool3d(1) / AdaptiveMaxPool3d(1) then flatten: x [N, C, T, H, W] -> [N, C]. */
export function globalPoolFlatten(g: GraphBuilder, x: string, type: 'avg' | 'max', name: string): string {
  const [pooled] = g.node(type === 'avg' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x], {}, { outputs: [g.uniqueName(`${name}.pool`)] });
  const [flat] = g.node('Flatten', [pooled!], { axis: 1 }, { outputs: [g.uniqueName(`${name}.flatten`)] }); // [N, C]
  return flat!;
}

/** nn.Linear at `path` (weight [out, in], optional bias [out]) on x [N, in] -> [N, out], as one Gemm. */
export function linear(g: GraphBuilder, weights: WeightSource, path: string, x: string, opts: { inFeatures: number; outFeatures: number; bias: boolean; outputName?: string }): string {
  const w = g.constant(`${path}.weight`, { dtype: 'float32', dims: [opts.outFeatures, opts.inFeatures], data: weights.param(`${path}.weight`, [opts.outFeatures, opts.inFeatures]) });
  const inputs = [x, w];
  if (opts.bias) inputs.push(g.constant(`${path}.bias`, { dtype: 'float32', dims: [opts.outFeatures], data: weights.param(`${path}.bias`, [opts.outFeatures]) }));
  const [y] = g.node('Gemm', inputs, { transB: 1 }, { outputs: [opts.outputName ?? g.uniqueName(path)] });
  return y!;
}
