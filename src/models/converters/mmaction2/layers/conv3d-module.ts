// 3D convolutions as MMAction2 builds them: a plain nn.Conv3d (`<path>.weight`, optional
// `<path>.bias`) and mmcv's ConvModule (`<path>.conv` + optional `<path>.bn` BatchNorm3d + ReLU).
// BatchNorm is folded into the conv weights, so each ConvModule becomes one Conv (+ Relu) node.
import type { GraphBuilder } from '../../onnx/index.js';
import type { WeightSource } from '../weight-source.js';
import { batchNormParams, foldBatchNorm } from './fold-batchnorm.js';

/** (t, h, w), as PyTorch's _triple() expands a kernel, stride or padding. */
export type Triple = readonly [number, number, number];

/** PyTorch's _triple: an int becomes (n, n, n); a sequence of three is kept. */
export function triple(value: number | readonly number[]): Triple {
  if (typeof value === 'number') return [value, value, value];
  if (value.length !== 3) throw new RangeError(`expected 3 values (t, h, w), got [${value.join(', ')}]`);
  return [value[0]!, value[1]!, value[2]!];
}

export interface Conv3dOptions {
  inChannels: number;
  outChannels: number;
  kernel: Triple;
  stride?: Triple;
  /** Symmetric zero padding per axis, as nn.Conv3d's `padding`. */
  padding?: Triple;
  dilation?: Triple;
  groups?: number;
}

function emitConv(g: GraphBuilder, name: string, x: string, opts: Conv3dOptions, weight: Float32Array, bias: Float32Array | undefined): string {
  const { kernel, stride = [1, 1, 1], padding = [0, 0, 0], dilation = [1, 1, 1], groups = 1 } = opts;
  const w = g.constant(`${name}.weight`, { dtype: 'float32', dims: weightShape(opts), data: weight });
  const inputs = bias ? [x, w, g.constant(`${name}.bias`, { dtype: 'float32', dims: [opts.outChannels], data: bias })] : [x, w];
  const [y] = g.node(
    'Conv',
    inputs,
    { kernel_shape: kernel, strides: stride, pads: [...padding, ...padding], group: groups, dilations: dilation },
    { outputs: [g.uniqueName(name)] },
  );
  return y!;
}

/** [C_out, C_in / groups, kt, kh, kw] */
function weightShape(opts: Conv3dOptions): number[] {
  const groups = opts.groups ?? 1;
  if (opts.inChannels % groups !== 0 || opts.outChannels % groups !== 0) {
    throw new RangeError(`conv channels ${opts.inChannels} -> ${opts.outChannels} are not divisible by groups=${groups}`);
  }
  return [opts.outChannels, opts.inChannels / groups, ...opts.kernel];
}

/** nn.Conv3d at `path` on x [N, C_in, T, H, W] -> [N, C_out, T', H', W']. */
export function conv3d(g: GraphBuilder, weights: WeightSource, path: string, x: string, opts: Conv3dOptions & { bias: boolean }): string {
  const weight = weights.param(`${path}.weight`, weightShape(opts));
  const bias = opts.bias ? weights.param(`${path}.bias`, [opts.outChannels]) : undefined;
  return emitConv(g, path, x, opts, weight, bias);
}

export interface ConvModuleOptions extends Conv3dOptions {
  /** ConvModule's norm_cfg: BatchNorm3d at `<path>.bn` (folded) or none. */
  norm: boolean;
  /** ConvModule's act_cfg: ReLU or none. */
  act: 'relu' | null;
  /** The conv's own bias (ConvModule's default `bias='auto'` drops it when a norm follows). */
  bias?: boolean;
  /** norm_cfg's eps (BatchNorm3d default 1e-5). */
  bnEps?: number;
}

/** mmcv ConvModule (conv -> bn -> act) at `path` on x [N, C_in, T, H, W]. */
export function convModule3d(g: GraphBuilder, weights: WeightSource, path: string, x: string, opts: ConvModuleOptions): string {
  // Folding scales the weight in place where the source allows (scratchParam); an unfolded weight
  // goes into the graph as read.
  const scratch = opts.norm ? weights.scratchParam?.(`${path}.conv.weight`, weightShape(opts)) : undefined;
  const rawWeight = scratch ?? weights.param(`${path}.conv.weight`, weightShape(opts));
  const rawBias = opts.bias ? weights.param(`${path}.conv.bias`, [opts.outChannels]) : undefined;
  const folded = opts.norm
    ? foldBatchNorm(rawWeight, opts.outChannels, batchNormParams(weights, `${path}.bn`, opts.outChannels, opts.bnEps), rawBias, scratch)
    : undefined;
  const y = emitConv(g, path, x, opts, folded?.weight ?? rawWeight, folded?.bias ?? rawBias);
  if (opts.act !== 'relu') return y;
  const [r] = g.node('Relu', [y], {}, { outputs: [g.uniqueName(`${path}.relu`)] });
  return r!;
}
