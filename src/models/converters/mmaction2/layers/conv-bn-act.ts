// mmcv's ConvModule (conv -> BatchNorm -> activation) for 2D and 3D convolutions, as one ONNX Conv
// with the BatchNorm folded into its weights, followed by Relu / Clip(0, 6) when there is one.
// ORT fuses Conv+Relu and Conv+Clip, so each ConvModule runs as a single kernel.
import type { GraphBuilder } from '../../onnx/index.js';
import type { WeightSource } from '../weight-source.js';
import { batchNormParams, foldBatchNorm } from './fold-batchnorm.js';
import { onnxPads, windowExtent, type FeatureMap } from './feature-map.js';

export type Activation = 'relu' | 'relu6' | 'none';

export interface ConvSpec {
  outChannels: number;
  /** One entry per spatial/temporal axis: [kh, kw] or [kt, kh, kw]. */
  kernel: readonly number[];
  stride: readonly number[];
  padding: readonly number[];
  groups?: number;
}

export interface ConvBnKeys {
  /** state_dict key of the conv weight, e.g. `backbone.layer1.0.conv1.conv.weight`. */
  convWeight: string;
  /** state_dict prefix of the BatchNorm, e.g. `backbone.layer1.0.conv1.bn`. */
  bn: string;
}

/** Keys of a plain ConvModule at `prefix`: `<prefix>.conv.weight` and `<prefix>.bn.*`. */
export const convModuleKeys = (prefix: string): ConvBnKeys => ({ convWeight: `${prefix}.conv.weight`, bn: `${prefix}.bn` });

/** conv (no bias) -> BatchNorm(eps) -> activation, on a 2D or 3D feature map. */
export function convBnAct(
  g: GraphBuilder,
  weights: WeightSource,
  x: FeatureMap,
  keys: ConvBnKeys,
  spec: ConvSpec,
  opts: { eps: number; activation: Activation },
): FeatureMap {
  const groups = spec.groups ?? 1;
  const inChannels = x.dims[0]!;
  const weightShape = [spec.outChannels, inChannels / groups, ...spec.kernel]; // [O, I/groups, (kT,) kH, kW]
  // Folding scales the weight in place where the source allows (scratchParam).
  const scratch = weights.scratchParam?.(keys.convWeight, weightShape);
  const raw = scratch ?? weights.param(keys.convWeight, weightShape);
  const folded = foldBatchNorm(raw, spec.outChannels, batchNormParams(weights, keys.bn, spec.outChannels, opts.eps), undefined, scratch);

  const label = keys.bn.replace(/^backbone\./, '').replace(/\.bn$/, '');
  const w = g.constant(`${label}.w`, { dtype: 'float32', dims: weightShape, data: folded.weight });
  const b = g.constant(`${label}.b`, { dtype: 'float32', dims: [spec.outChannels], data: folded.bias });
  const extent = windowExtent(x.dims.slice(1), spec.kernel, spec.stride, spec.padding);
  const [conv] = g.node(
    'Conv',
    [x.name, w, b],
    { kernel_shape: [...spec.kernel], strides: [...spec.stride], pads: onnxPads(spec.padding), group: groups },
    { outputs: [g.uniqueName(label)] },
  );
  return activate(g, { name: conv!, dims: [spec.outChannels, ...extent] }, opts.activation);
}

function activate(g: GraphBuilder, x: FeatureMap, activation: Activation): FeatureMap {
  if (activation === 'none') return x;
  if (activation === 'relu') {
    const [y] = g.node('Relu', [x.name], {}, { outputs: [g.uniqueName(`${x.name}.relu`)] });
    return { name: y!, dims: x.dims };
  }
  const lo = g.constant('relu6.min', { dtype: 'float32', dims: [], data: Float32Array.of(0) });
  const hi = g.constant('relu6.max', { dtype: 'float32', dims: [], data: Float32Array.of(6) });
  const [y] = g.node('Clip', [x.name, lo, hi], {}, { outputs: [g.uniqueName(`${x.name}.relu6`)] });
  return { name: y!, dims: x.dims };
}

/** Max pooling (ceil_mode=False, padding with -inf as PyTorch does). */
export function maxPool(g: GraphBuilder, x: FeatureMap, kernel: readonly number[], stride: readonly number[], padding: readonly number[], label: string): FeatureMap {
  const [y] = g.node('MaxPool', [x.name], { kernel_shape: [...kernel], strides: [...stride], pads: onnxPads(padding) }, { outputs: [g.uniqueName(label)] });
  return { name: y!, dims: [x.dims[0]!, ...windowExtent(x.dims.slice(1), kernel, stride, padding)] };
}

/** Residual sum followed by ReLU. */
export function addRelu(g: GraphBuilder, a: FeatureMap, b: FeatureMap, label: string): FeatureMap {
  if (a.dims.join(',') !== b.dims.join(',')) {
    throw new RangeError(`${label}: residual branches differ in shape, [${a.dims}] vs [${b.dims}]`);
  }
  const [sum] = g.node('Add', [a.name, b.name], {}, { outputs: [g.uniqueName(`${label}.add`)] });
  return activate(g, { name: sum!, dims: a.dims }, 'relu');
}
