// zod pieces for the options of MMAction2's ResNet-style backbones and their heads: what the
// converter builds, with MMAction2's defaults; anything else is refused by name (parseConfigPart).
import { z } from 'zod';
import { baseHeadOptions, trainingOnly } from './parse-config.js';

const positiveInt = z.number().int().positive();

export const resnetDepth = z.union([z.literal(18), z.literal(34), z.literal(50), z.literal(101), z.literal(152)]);

/** BatchNorm in any of its spellings; SyncBN is plain BatchNorm at inference. */
export const batchNormCfg = z.strictObject({
  type: z.enum(['BN', 'BN2d', 'BN3d', 'SyncBN']),
  requires_grad: trainingOnly,
  momentum: trainingOnly,
  eps: z.number().positive().default(1e-5),
});
export const reluCfg = z.strictObject({ type: z.literal('ReLU'), inplace: trainingOnly });
export const relu6Cfg = z.strictObject({ type: z.literal('ReLU6'), inplace: trainingOnly });

/** Options every ResNet-like backbone takes that do not change inference. */
export const backboneTrainingOptions = {
  type: z.string(),
  pretrained: trainingOnly,
  pretrained2d: trainingOnly,
  torchvision_pretrain: trainingOnly,
  init_cfg: trainingOnly,
  frozen_stages: trainingOnly,
  norm_eval: trainingOnly,
  partial_bn: trainingOnly,
  with_cp: trainingOnly,
  zero_init_residual: trainingOnly,
};

/** Only the last stage's output feeds the head; other out_indices would make a tuple. */
export const lastStageOnly = z.tuple([z.literal(3)]).default([3]);
export const fourInts = (defaults: [number, number, number, number]) => z.array(positiveInt).length(4).default(defaults);
export const unitDilations = z.array(z.literal(1)).length(4).default([1, 1, 1, 1]);

/** TSNHead / TSMHead / I3DHead: average pooling, consensus average, fc_cls. */
const averageConsensus = z.strictObject({ type: z.literal('AvgConsensus'), dim: z.literal(1) }).default({ type: 'AvgConsensus', dim: 1 });
const headCommon = {
  ...baseHeadOptions,
  num_classes: positiveInt,
  in_channels: positiveInt,
  spatial_type: z.literal('avg').default('avg'),
};
export const tsnHeadSchema = z.strictObject({ ...headCommon, type: z.literal('TSNHead'), consensus: averageConsensus });
export const tsmHeadSchema = z.strictObject({
  ...headCommon,
  type: z.literal('TSMHead'),
  consensus: averageConsensus,
  num_segments: positiveInt.default(8),
  is_shift: z.boolean().default(true),
  temporal_pool: z.literal(false).default(false),
});
export const i3dHeadSchema = z.strictObject({ ...headCommon, type: z.literal('I3DHead') });
