// ResNet residual blocks and stages (MMAction2 Bottleneck / BasicBlock, 2D and 3D), written once
// for both ranks: a 2D block is a 3D block without the temporal axis. Which convolution a slot
// uses is a hook, so TSM (shift before conv1) and R(2+1)D (Conv2plus1d) reuse the same wiring.
import type { GraphBuilder } from '../../onnx/index.js';
import type { WeightSource } from '../weight-source.js';
import { addRelu, convBnAct, convModuleKeys, type Activation, type ConvSpec } from './conv-bn-act.js';
import type { FeatureMap } from './feature-map.js';

export type BlockKind = 'bottleneck' | 'basic';
export const EXPANSION: Record<BlockKind, number> = { bottleneck: 4, basic: 1 };

/** The conv slots: the backbone's stem, a block's conv1..conv3 and its shortcut projection. */
export type ConvSlot = 'stem' | 'conv1' | 'conv2' | 'conv3' | 'downsample';

/** Where a conv sits: its slot and the index of its block within the stage. */
export interface ConvSite {
  slot: ConvSlot;
  block: number;
}

/** Builds one ConvModule at `prefix` (e.g. `backbone.layer1.0.conv1`). */
export type ConvModuleFn = (x: FeatureMap, prefix: string, spec: ConvSpec, activation: Activation, site: ConvSite) => FeatureMap;

/** The plain ConvModule: `<prefix>.conv.weight` + `<prefix>.bn`. */
export function plainConvModule(g: GraphBuilder, weights: WeightSource, eps: number): ConvModuleFn {
  return (x, prefix, spec, activation) => convBnAct(g, weights, x, convModuleKeys(prefix), spec, { eps, activation });
}

export interface StageOptions {
  block: BlockKind;
  planes: number;
  blocks: number;
  spatialStride: number;
  /** Only for 3D stages. */
  temporalStride: number;
  /** 'pytorch': stride on the 3x3 conv; 'caffe': stride on conv1. */
  style: 'pytorch' | 'caffe';
  /** 3D only: inflate flag per block (2D stages ignore it). */
  inflate: readonly boolean[];
  /** 3D bottleneck only: which conv carries the temporal kernel. */
  inflateStyle: '3x1x1' | '3x3x3';
}

interface BlockKernels {
  conv1: readonly number[];
  conv2: readonly number[];
}

/** Kernel sizes of conv1/conv2 for a block of the given rank (2 = [h, w], 3 = [t, h, w]). */
function blockKernels(rank: number, block: BlockKind, inflate: boolean, inflateStyle: StageOptions['inflateStyle']): BlockKernels {
  const k3 = block === 'bottleneck' ? 1 : 3; // conv1 spatial kernel
  if (rank === 2) return { conv1: [k3, k3], conv2: [3, 3] };
  if (block === 'basic') return inflate ? { conv1: [3, 3, 3], conv2: [3, 3, 3] } : { conv1: [1, 3, 3], conv2: [1, 3, 3] };
  if (!inflate) return { conv1: [1, 1, 1], conv2: [1, 3, 3] };
  return inflateStyle === '3x1x1' ? { conv1: [3, 1, 1], conv2: [1, 3, 3] } : { conv1: [1, 1, 1], conv2: [3, 3, 3] };
}

const samePadding = (kernel: readonly number[]) => kernel.map((k) => (k - 1) >> 1);

/** One residual block at `prefix`; returns the block output after the final ReLU. */
function residualBlock(g: GraphBuilder, conv: ConvModuleFn, x: FeatureMap, prefix: string, stage: StageOptions, index: number): FeatureMap {
  const rank = x.dims.length - 1;
  const first = index === 0;
  const s = first ? stage.spatialStride : 1;
  const t = first ? stage.temporalStride : 1;
  const stride = rank === 3 ? [t, s, s] : [s, s];
  const ones = stride.map(() => 1);
  const kernels = blockKernels(rank, stage.block, stage.inflate[index] ?? false, stage.inflateStyle);
  const outChannels = stage.planes * EXPANSION[stage.block];
  // Bottleneck 'pytorch' strides conv2, 'caffe' conv1; BasicBlock always strides conv1.
  const strideOnConv1 = stage.block === 'basic' || stage.style === 'caffe';

  let out = conv(x, `${prefix}.conv1`, { outChannels: stage.planes, kernel: kernels.conv1, stride: strideOnConv1 ? stride : ones, padding: samePadding(kernels.conv1) }, 'relu', { slot: 'conv1', block: index });
  if (stage.block === 'bottleneck') {
    out = conv(out, `${prefix}.conv2`, { outChannels: stage.planes, kernel: kernels.conv2, stride: strideOnConv1 ? ones : stride, padding: samePadding(kernels.conv2) }, 'relu', { slot: 'conv2', block: index });
    out = conv(out, `${prefix}.conv3`, { outChannels, kernel: ones, stride: ones, padding: ones.map(() => 0) }, 'none', { slot: 'conv3', block: index });
  } else {
    out = conv(out, `${prefix}.conv2`, { outChannels, kernel: kernels.conv2, stride: ones, padding: samePadding(kernels.conv2) }, 'none', { slot: 'conv2', block: index });
  }

  // MMAction2 adds the projection shortcut when the spatial stride or the width changes.
  const needsProjection = first && (stage.spatialStride !== 1 || x.dims[0] !== outChannels);
  const identity = needsProjection
    ? conv(x, `${prefix}.downsample`, { outChannels, kernel: ones, stride, padding: ones.map(() => 0) }, 'none', { slot: 'downsample', block: index })
    : x;
  return addRelu(g, out, identity, prefix);
}

/** A ResNet stage `layerN`: `blocks` residual blocks, the first one strided. */
export function residualStage(g: GraphBuilder, conv: ConvModuleFn, x: FeatureMap, prefix: string, stage: StageOptions): FeatureMap {
  let y = x;
  for (let i = 0; i < stage.blocks; i++) y = residualBlock(g, conv, y, `${prefix}.${i}`, stage, i);
  return y;
}

/** Blocks per stage and block kind for each ResNet depth. */
export const RESNET_DEPTHS: Record<number, { block: BlockKind; stageBlocks: readonly number[] }> = {
  18: { block: 'basic', stageBlocks: [2, 2, 2, 2] },
  34: { block: 'basic', stageBlocks: [3, 4, 6, 3] },
  50: { block: 'bottleneck', stageBlocks: [3, 4, 6, 3] },
  101: { block: 'bottleneck', stageBlocks: [3, 4, 23, 3] },
  152: { block: 'bottleneck', stageBlocks: [3, 8, 36, 3] },
};
