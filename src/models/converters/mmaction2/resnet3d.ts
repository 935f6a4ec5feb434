// MMAction2 `ResNet3d` (I3D) and `ResNet3dSlowOnly` with I3DHead. Both are the same network: a
// 3D stem (conv1 + max pool), four stages of (optionally inflated) 3D residual blocks and, for
// I3D, a temporal max pool after layer1. R(2+1)D reuses it with another ConvModule (`conv` hook).
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import { createGraphBuilder, type GraphBuilder } from '../onnx/index.js';
import { maxPool } from './layers/conv-bn-act.js';
import type { FeatureMap } from './layers/feature-map.js';
import { parseConfigPart, trainingOnly } from './layers/parse-config.js';
import { finishRecognizer, pooledLinearHead } from './layers/pooled-linear-head.js';
import { declareClipInput } from './layers/recognizer3d-io.js';
import { EXPANSION, RESNET_DEPTHS, plainConvModule, residualStage, type ConvModuleFn } from './layers/residual-blocks.js';
import {
  backboneTrainingOptions, batchNormCfg, fourInts, i3dHeadSchema, lastStageOnly, reluCfg, resnetDepth, unitDilations,
} from './layers/resnet-config.js';
import { checkHeadWidth } from './resnet2d.js';
import type { Mmaction2ModelDict, RecognizerBuilder } from './types.js';
import type { WeightSource } from './weight-source.js';

const positiveInt = z.number().int().positive();
const flag = z.union([z.literal(0), z.literal(1)]);
/** An int for all stages, or per stage an int for all blocks or one flag per block. */
const perBlockFlags = z.union([flag, z.array(z.union([flag, z.array(flag)])).length(4)]);
const noNonLocal = z.union([z.literal(0), z.array(z.union([z.literal(0), z.array(z.literal(0))])).length(4)]);

/** ResNet3d's options, with its MMAction2 1.x defaults. */
export const resnet3dOptions = {
  ...backboneTrainingOptions,
  depth: resnetDepth,
  stage_blocks: z.array(positiveInt).length(4).nullable().default(null),
  in_channels: positiveInt.default(3),
  num_stages: z.literal(4).default(4),
  base_channels: positiveInt.default(64),
  out_indices: lastStageOnly,
  spatial_strides: fourInts([1, 2, 2, 2]),
  temporal_strides: fourInts([1, 1, 1, 1]),
  dilations: unitDilations,
  conv1_kernel: z.array(positiveInt).length(3).default([3, 7, 7]),
  conv1_stride_s: positiveInt.default(2),
  conv1_stride_t: positiveInt.default(1),
  pool1_stride_s: positiveInt.default(2),
  pool1_stride_t: positiveInt.default(1),
  with_pool1: z.boolean().default(true),
  with_pool2: z.boolean().default(true),
  style: z.enum(['pytorch', 'caffe']).default('pytorch'),
  inflate: perBlockFlags.default([1, 1, 1, 1]),
  inflate_style: z.enum(['3x1x1', '3x3x3']).default('3x1x1'),
  conv_cfg: z.strictObject({ type: z.literal('Conv3d') }).default({ type: 'Conv3d' }),
  norm_cfg: batchNormCfg.default({ type: 'BN3d', eps: 1e-5 }),
  act_cfg: reluCfg.default({ type: 'ReLU' }),
  non_local: noNonLocal.default(0),
  non_local_cfg: trainingOnly, // unused while every non_local flag is 0
};
const resnet3dSchema = z.strictObject(resnet3dOptions);

/** ResNet3dSlowOnly = ResNet3dPathway without lateral connections; its own defaults differ. */
const slowOnlySchema = z.strictObject({
  ...resnet3dOptions,
  conv1_kernel: z.array(positiveInt).length(3).default([1, 7, 7]),
  inflate: perBlockFlags.default([0, 0, 1, 1]),
  with_pool2: z.boolean().default(false),
  lateral: z.literal(false).default(false),
  // lateral-connection settings: no effect without lateral connections
  speed_ratio: trainingOnly,
  channel_ratio: trainingOnly,
  fusion_kernel: trainingOnly,
  lateral_norm: trainingOnly,
  lateral_infl: trainingOnly,
  lateral_activate: trainingOnly,
});

/** What the 3D ResNet trunk needs, whichever schema produced it. */
export interface ResNet3dConfig {
  depth: number;
  stage_blocks: number[] | null;
  base_channels: number;
  spatial_strides: number[];
  temporal_strides: number[];
  conv1_kernel: number[];
  conv1_stride_s: number;
  conv1_stride_t: number;
  pool1_stride_s: number;
  pool1_stride_t: number;
  with_pool1: boolean;
  with_pool2: boolean;
  style: 'pytorch' | 'caffe';
  inflate: z.output<typeof perBlockFlags>;
  inflate_style: '3x1x1' | '3x3x3';
  norm_cfg: { eps: number };
}

/** MMAction2's _ntuple + make_res_layer expansion of `inflate` into one flag per block. */
export function inflateFlags(inflate: ResNet3dConfig['inflate'], stageBlocks: readonly number[]): boolean[][] {
  return stageBlocks.map((blocks, stage) => {
    const perStage = typeof inflate === 'number' ? inflate : inflate[stage]!;
    const flags = typeof perStage === 'number' ? Array.from({ length: blocks }, () => perStage) : perStage;
    if (flags.length !== blocks) {
      throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `backbone.inflate[${stage}] = [${flags.join(', ')}] has ${flags.length} flags, but layer${stage + 1} has ${blocks} blocks.`, {
        hint: 'Give one 0/1 flag per block, or a single 0/1 for the whole stage.',
      });
    }
    return flags.map((f) => f === 1);
  });
}

/** clip [N, C, T, H, W] -> last-stage features [N, 8 * base * expansion, t, h, w]. */
export function resnet3dBackbone(g: GraphBuilder, weights: WeightSource, clip: FeatureMap, cfg: ResNet3dConfig, conv?: ConvModuleFn): FeatureMap {
  const { block, stageBlocks: depthBlocks } = RESNET_DEPTHS[cfg.depth]!;
  const stageBlocks = cfg.stage_blocks ?? depthBlocks;
  const inflate = inflateFlags(cfg.inflate, stageBlocks);
  const convModule = conv ?? plainConvModule(g, weights, cfg.norm_cfg.eps);

  const kernel = cfg.conv1_kernel;
  let x = convModule(
    clip,
    'backbone.conv1',
    { outChannels: cfg.base_channels, kernel, stride: [cfg.conv1_stride_t, cfg.conv1_stride_s, cfg.conv1_stride_s], padding: kernel.map((k) => (k - 1) >> 1) },
    'relu',
    { slot: 'stem', block: 0 },
  );
  if (cfg.with_pool1) x = maxPool(g, x, [1, 3, 3], [cfg.pool1_stride_t, cfg.pool1_stride_s, cfg.pool1_stride_s], [0, 1, 1], 'stem.maxpool');
  for (let i = 0; i < 4; i++) {
    x = residualStage(g, convModule, x, `backbone.layer${i + 1}`, {
      block,
      planes: cfg.base_channels * 2 ** i,
      blocks: stageBlocks[i]!,
      spatialStride: cfg.spatial_strides[i]!,
      temporalStride: cfg.temporal_strides[i]!,
      style: cfg.style,
      inflate: inflate[i]!,
      inflateStyle: cfg.inflate_style,
    });
    if (i === 0 && cfg.with_pool2) x = maxPool(g, x, [2, 1, 1], [2, 1, 1], [0, 0, 0], 'pool2'); // halves T
  }
  return x;
}

export const resnet3dFeatureChannels = (cfg: ResNet3dConfig): number => cfg.base_channels * 8 * EXPANSION[RESNET_DEPTHS[cfg.depth]!.block];

/** A Recognizer3D of a 3D ResNet trunk and I3DHead (average pool over T, H, W, then fc). */
export function buildResNet3dRecognizer(
  model: Mmaction2ModelDict, weights: WeightSource, viewShape: readonly number[],
  family: string, cfg: ResNet3dConfig & { in_channels: number }, conv?: (g: GraphBuilder) => ConvModuleFn,
) {
  const head = parseConfigPart(i3dHeadSchema, model.cls_head, 'cls_head');
  checkHeadWidth(head.in_channels, resnet3dFeatureChannels(cfg));
  const g = createGraphBuilder(family);
  const { input, clip } = declareClipInput(g, model, viewShape, cfg.in_channels);
  const x: FeatureMap = { name: input, dims: [clip.channels, clip.frames, clip.height, clip.width] };
  const features = resnet3dBackbone(g, weights, x, cfg, conv?.(g)); // [V, C, t, h, w]
  const logits = pooledLinearHead(g, weights, features, { rowsPerView: 1, numClasses: head.num_classes });
  return finishRecognizer(g, logits, head.num_classes, family);
}

/** I3D and other plain `ResNet3d` configs. */
export const buildResNet3d: RecognizerBuilder = (model, weights, { viewShape }) =>
  buildResNet3dRecognizer(model, weights, viewShape, 'ResNet3d', parseConfigPart(resnet3dSchema, model.backbone, 'backbone'));

/** SlowOnly (`ResNet3dSlowOnly`). */
export const buildSlowOnly: RecognizerBuilder = (model, weights, { viewShape }) =>
  buildResNet3dRecognizer(model, weights, viewShape, 'SlowOnly', parseConfigPart(slowOnlySchema, model.backbone, 'backbone'));
