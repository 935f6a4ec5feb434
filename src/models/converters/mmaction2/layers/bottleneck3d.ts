// ResNet3d's Bottleneck3d (expansion 4) as MMAction2 builds it, on a feature map whose channels and
// (T, H, W) size are tracked so callers can check where two pathways must meet.
import type { GraphBuilder } from '../../onnx/index.js';
import type { WeightSource } from '../weight-source.js';
import { convModule3d, type Triple } from './conv3d-module.js';

/** A value in the graph with its channel count and (T, H, W) size: [N, channels, T, H, W]. */
export interface Feature3d {
  value: string;
  channels: number;
  size: Triple;
}

export const BOTTLENECK_EXPANSION = 4;

/** Output length of a conv/pool window along one axis (no ceil mode). */
export function windowOutSize(size: number, kernel: number, stride: number, padding: number, dilation = 1): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Output (T, H, W) of a conv/pool window over (T, H, W). */
export function windowOutSize3d(size: Triple, kernel: Triple, stride: Triple, padding: Triple, dilation: Triple = [1, 1, 1]): Triple {
  const axis = (i: 0 | 1 | 2) => windowOutSize(size[i], kernel[i], stride[i], padding[i], dilation[i]);
  return [axis(0), axis(1), axis(2)];
}

export interface BottleneckOptions {
  planes: number;
  spatialStride: number;
  temporalStride: number;
  dilation: number;
  /** 'pytorch' strides the 3x3 conv, 'caffe' the first 1x1 conv. */
  style: 'pytorch' | 'caffe';
  inflate: boolean;
  /** '3x1x1': temporal kernel in conv1; '3x3x3': in conv2. */
  inflateStyle: '3x1x1' | '3x3x3';
  downsample: boolean;
  bnEps: number;
}

/** conv1 (1x1x1 or 3x1x1) -> conv2 (1x3x3 or 3x3x3) -> conv3 (1x1x1, no act), + identity, ReLU. */
export function bottleneck3d(g: GraphBuilder, weights: WeightSource, path: string, x: Feature3d, o: BottleneckOptions): Feature3d {
  const out = o.planes * BOTTLENECK_EXPANSION;
  const [s1, s2]: [Triple, Triple] =
    o.style === 'pytorch'
      ? [[1, 1, 1], [o.temporalStride, o.spatialStride, o.spatialStride]]
      : [[o.temporalStride, o.spatialStride, o.spatialStride], [1, 1, 1]];
  const d = o.dilation;
  const [k1, p1, k2, p2]: [Triple, Triple, Triple, Triple] = !o.inflate
    ? [[1, 1, 1], [0, 0, 0], [1, 3, 3], [0, d, d]]
    : o.inflateStyle === '3x1x1'
      ? [[3, 1, 1], [1, 0, 0], [1, 3, 3], [0, d, d]]
      : [[1, 1, 1], [0, 0, 0], [3, 3, 3], [1, d, d]];
  const norm = { norm: true, bnEps: o.bnEps } as const;
  let y = convModule3d(g, weights, `${path}.conv1`, x.value, { inChannels: x.channels, outChannels: o.planes, kernel: k1, stride: s1, padding: p1, act: 'relu', ...norm });
  y = convModule3d(g, weights, `${path}.conv2`, y, { inChannels: o.planes, outChannels: o.planes, kernel: k2, stride: s2, padding: p2, dilation: [1, d, d], act: 'relu', ...norm });
  y = convModule3d(g, weights, `${path}.conv3`, y, { inChannels: o.planes, outChannels: out, kernel: [1, 1, 1], act: null, ...norm });
  const stride: Triple = [o.temporalStride, o.spatialStride, o.spatialStride];
  const identity = o.downsample
    ? convModule3d(g, weights, `${path}.downsample`, x.value, { inChannels: x.channels, outChannels: out, kernel: [1, 1, 1], stride, act: null, ...norm })
    : x.value;
  const [sum] = g.node('Add', [y, identity], {}, { outputs: [g.uniqueName(`${path}.add`)] });
  const [relu] = g.node('Relu', [sum!], {}, { outputs: [g.uniqueName(path)] });
  // Shape after conv1 then conv2 (both may stride, depending on style).
  const afterConv1 = windowOutSize3d(x.size, k1, s1, p1);
  const size = windowOutSize3d(afterConv1, k2, s2, p2, [1, d, d]);
  return { value: relu!, channels: out, size };
}
