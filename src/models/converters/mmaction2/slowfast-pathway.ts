// One pathway of SlowFast: MMAction2's ResNet3dPathway (a ResNet3d with Bottleneck3d blocks whose
// first block of each stage may take extra channels from lateral connections). The stem and the
// stages are built separately because SlowFast interleaves the two pathways stage by stage.
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import type { GraphBuilder } from '../onnx/index.js';
import type { WeightSource } from './weight-source.js';
import { BOTTLENECK_EXPANSION, bottleneck3d, windowOutSize3d, type Feature3d } from './layers/bottleneck3d.js';
import { convModule3d, triple, type Triple } from './layers/conv3d-module.js';
import { BN_EPS } from './layers/fold-batchnorm.js';
import { bn3dCfg, conv3dCfg, parseConfigPart, reluCfg, trainingOnly } from './layers/parse-config.js';

const BOTTLENECK_STAGE_BLOCKS: Record<number, number[]> = { 50: [3, 4, 6, 3], 101: [3, 4, 23, 3], 152: [3, 8, 36, 3] };

/** 0/1 for a whole stage, or one 0/1 per block: ResNet3d's `inflate` and `non_local`. */
const perStageFlags = z.union([z.int(), z.array(z.union([z.int(), z.array(z.int())]))]);
const allZero = (v: unknown): boolean => (Array.isArray(v) ? v.every(allZero) : v === 0);

const PathwayConfig = z.strictObject({
  type: z.literal('resnet3d'),
  depth: z.union([z.literal(50), z.literal(101), z.literal(152)]).default(50),
  in_channels: z.int().positive().default(3),
  num_stages: z.literal(4).default(4),
  base_channels: z.int().positive().default(64),
  stage_blocks: z.array(z.int().positive()).length(4).nullable().optional(),
  spatial_strides: z.array(z.int().positive()).length(4).default([1, 2, 2, 2]),
  temporal_strides: z.array(z.int().positive()).length(4).default([1, 1, 1, 1]),
  dilations: z.array(z.int().positive()).length(4).default([1, 1, 1, 1]),
  conv1_kernel: z.array(z.int().positive()).length(3).default([5, 7, 7]),
  conv1_stride_t: z.int().positive().default(2),
  pool1_stride_t: z.int().positive().default(2),
  style: z.enum(['pytorch', 'caffe']).default('pytorch'),
  inflate: perStageFlags.default(1),
  inflate_style: z.enum(['3x1x1', '3x3x3']).default('3x1x1'),
  non_local: z.unknown().refine(allZero, 'non-local blocks are not supported: every entry must be 0').optional(),
  lateral: z.boolean().default(false),
  lateral_inv: z.literal(false).default(false),
  lateral_norm: z.boolean().default(false),
  lateral_infl: z.int().positive().default(2),
  lateral_activate: z.tuple([z.literal(1), z.literal(1), z.literal(1), z.literal(1)]).default([1, 1, 1, 1]),
  speed_ratio: z.int().positive().default(8),
  channel_ratio: z.int().positive().default(8),
  fusion_kernel: z.int().positive().default(5),
  conv_cfg: conv3dCfg.optional(),
  norm_cfg: bn3dCfg.optional(),
  act_cfg: reluCfg.optional(),
  // SlowFast's forward calls conv1, maxpool and the res layers itself: pool2 and out_indices never apply.
  with_pool1: trainingOnly,
  with_pool2: trainingOnly,
  out_indices: trainingOnly,
  pretrained: trainingOnly,
  pretrained2d: trainingOnly,
  frozen_stages: trainingOnly,
  norm_eval: trainingOnly,
  with_cp: trainingOnly,
  non_local_cfg: trainingOnly,
  zero_init_residual: trainingOnly,
  init_cfg: trainingOnly,
});
export type PathwayConfig = z.output<typeof PathwayConfig>;

export function parsePathwayConfig(value: unknown, where: string): PathwayConfig {
  return parseConfigPart(PathwayConfig, value, where);
}

/** ResNet3d's inflate flag of block `block` in stage `stage` (int per stage or per block). */
function inflateAt(inflate: PathwayConfig['inflate'], stage: number, block: number, blocks: number): boolean {
  const perStage = typeof inflate === 'number' ? inflate : inflate[stage];
  const perBlock = typeof perStage === 'number' ? perStage : perStage?.[block];
  if (perBlock === undefined || (Array.isArray(perStage) && perStage.length !== blocks)) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `inflate = ${JSON.stringify(inflate)} has no flag for stage ${stage + 1} block ${block} (the stage has ${blocks} blocks).`, {
      hint: 'Give one 0/1 per stage, or one list of 0/1 per stage with an entry per block.',
    });
  }
  return perBlock === 1;
}

export interface Pathway {
  cfg: PathwayConfig;
  /** `backbone.slow_path` or `backbone.fast_path`. */
  path: string;
  stageBlocks: number[];
  bnEps: number;
}

export function createPathway(cfg: PathwayConfig, path: string): Pathway {
  return { cfg, path, stageBlocks: cfg.stage_blocks ?? BOTTLENECK_STAGE_BLOCKS[cfg.depth]!, bnEps: cfg.norm_cfg?.eps ?? BN_EPS };
}

/** Output channels of stage i: planes * 4. */
export function stageOutChannels(p: Pathway, stage: number): number {
  return p.cfg.base_channels * 2 ** stage * BOTTLENECK_EXPANSION;
}

/** conv1 (BN, ReLU) then maxpool (1x3x3, spatial stride 2): x [N, 3, T, H, W] -> [N, base, T', H/4, W/4]. */
export function pathwayStem(g: GraphBuilder, weights: WeightSource, p: Pathway, x: Feature3d): Feature3d {
  const kernel = triple(p.cfg.conv1_kernel);
  const stride: Triple = [p.cfg.conv1_stride_t, 2, 2];
  const half = (k: number) => Math.floor((k - 1) / 2);
  const padding: Triple = [half(kernel[0]), half(kernel[1]), half(kernel[2])];
  const conv = convModule3d(g, weights, `${p.path}.conv1`, x.value, {
    inChannels: p.cfg.in_channels, outChannels: p.cfg.base_channels, kernel, stride, padding, norm: true, act: 'relu', bnEps: p.bnEps,
  });
  const poolKernel: Triple = [1, 3, 3];
  const poolStride: Triple = [p.cfg.pool1_stride_t, 2, 2];
  const poolPad: Triple = [0, 1, 1];
  const [pooled] = g.node('MaxPool', [conv], { kernel_shape: poolKernel, strides: poolStride, pads: [...poolPad, ...poolPad] }, { outputs: [g.uniqueName(`${p.path}.maxpool`)] });
  const afterConv = windowOutSize3d(x.size, kernel, stride, padding);
  return { value: pooled!, channels: p.cfg.base_channels, size: windowOutSize3d(afterConv, poolKernel, poolStride, poolPad) };
}

/** Res layer `layer{stage+1}`; x may carry lateral channels on top of the previous stage's output. */
export function pathwayStage(g: GraphBuilder, weights: WeightSource, p: Pathway, stage: number, x: Feature3d): Feature3d {
  const planes = p.cfg.base_channels * 2 ** stage;
  const blocks = p.stageBlocks[stage]!;
  const spatialStride = p.cfg.spatial_strides[stage]!;
  const temporalStride = p.cfg.temporal_strides[stage]!;
  let y = x;
  for (let j = 0; j < blocks; j++) {
    const first = j === 0;
    y = bottleneck3d(g, weights, `${p.path}.layer${stage + 1}.${j}`, y, {
      planes,
      spatialStride: first ? spatialStride : 1,
      temporalStride: first ? temporalStride : 1,
      dilation: p.cfg.dilations[stage]!,
      style: p.cfg.style,
      inflate: inflateAt(p.cfg.inflate, stage, j, blocks),
      inflateStyle: p.cfg.inflate_style,
      downsample: first && (spatialStride !== 1 || y.channels !== planes * BOTTLENECK_EXPANSION),
      bnEps: p.bnEps,
    });
  }
  return y;
}

/**
 * A lateral connection on the slow pathway (`conv1_lateral`, `layer{i}_lateral`): a (k, 1, 1) conv
 * with temporal stride speed_ratio that brings fast features to the slow frame rate,
 * fast [N, C, T_fast, H, W] -> [N, C * lateral_infl, T_fast / speed_ratio, H, W].
 * `slowInplanes` is the slow pathway's width at that point, which MMAction2 sizes the conv from.
 */
export function lateralConnection(g: GraphBuilder, weights: WeightSource, slow: Pathway, name: string, slowInplanes: number, fast: Feature3d): Feature3d {
  const { fusion_kernel: k, speed_ratio: speed, lateral_infl: infl, lateral_norm: norm, channel_ratio: ratio } = slow.cfg;
  const inChannels = Math.floor(slowInplanes / ratio);
  if (inChannels !== fast.channels) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `backbone.slow_path.${name}: the slow pathway expects ${slowInplanes} / channel_ratio ${ratio} = ${inChannels} fast channels, but the fast pathway has ${fast.channels}.`, {
      hint: 'Set fast_pathway.base_channels to slow_pathway.base_channels / channel_ratio.',
    });
  }
  const kernel: Triple = [k, 1, 1];
  const stride: Triple = [speed, 1, 1];
  const padding: Triple = [Math.floor((k - 1) / 2), 0, 0];
  const outChannels = Math.floor((slowInplanes * infl) / ratio);
  const value = convModule3d(g, weights, `${slow.path}.${name}`, fast.value, {
    inChannels, outChannels, kernel, stride, padding, norm, act: norm ? 'relu' : null, bnEps: slow.bnEps,
  });
  return { value, channels: outChannels, size: windowOutSize3d(fast.size, kernel, stride, padding) };
}
