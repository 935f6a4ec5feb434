// MMAction2 `ResNet` (2D, per frame) and the TSN recognizer built on it (ResNet + TSNHead).
// The 2D ResNet is also the trunk of TSM (shift before each block's conv1) and C2D (temporal
// max pool after layer1), which plug in through the `conv` and `afterStage` hooks.
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import { createGraphBuilder, type GraphBuilder } from '../onnx/index.js';
import { convBnAct, convModuleKeys, maxPool } from './layers/conv-bn-act.js';
import type { FeatureMap } from './layers/feature-map.js';
import { declareFramesInput } from './layers/frames-input.js';
import { parseConfigPart } from './layers/parse-config.js';
import { finishRecognizer, pooledLinearHead } from './layers/pooled-linear-head.js';
import { RESNET_DEPTHS, plainConvModule, residualStage, type ConvModuleFn, EXPANSION } from './layers/residual-blocks.js';
import {
  backboneTrainingOptions, batchNormCfg, fourInts, lastStageOnly, reluCfg, resnetDepth, tsnHeadSchema, unitDilations,
} from './layers/resnet-config.js';
import type { RecognizerBuilder } from './types.js';
import type { WeightSource } from './weight-source.js';

/** The options of mmaction2 `ResNet` the converter builds (its subclasses add their own). */
export const resnet2dOptions = {
  ...backboneTrainingOptions,
  depth: resnetDepth,
  in_channels: z.number().int().positive().default(3),
  num_stages: z.literal(4).default(4),
  out_indices: lastStageOnly,
  strides: fourInts([1, 2, 2, 2]),
  dilations: unitDilations,
  style: z.enum(['pytorch', 'caffe']).default('pytorch'),
  conv_cfg: z.strictObject({ type: z.enum(['Conv', 'Conv2d']) }).default({ type: 'Conv' }),
  norm_cfg: batchNormCfg.default({ type: 'BN2d', eps: 1e-5 }),
  act_cfg: reluCfg.default({ type: 'ReLU' }),
};
const resnet2dSchema = z.strictObject(resnet2dOptions);
export type ResNet2dConfig = z.output<typeof resnet2dSchema>;

export interface ResNet2dHooks {
  /** Stem max pool padding: 1 for ResNet, 0 for C2D's MaxPool3d(1, 3, 3). */
  stemPoolPadding?: number;
  /** Replaces the plain ConvModule inside residual blocks (TSM). */
  conv?: ConvModuleFn;
  /** Runs after stage `index` (0-based), e.g. C2D's temporal pool after layer1. */
  afterStage?: (index: number, x: FeatureMap) => FeatureMap;
}

/** frames [N, C, H, W] -> last-stage features [N, 512 * expansion, H/32, W/32]. */
export function resnet2dBackbone(g: GraphBuilder, weights: WeightSource, frames: FeatureMap, cfg: ResNet2dConfig, hooks: ResNet2dHooks = {}): FeatureMap {
  const eps = cfg.norm_cfg.eps;
  const { block, stageBlocks } = RESNET_DEPTHS[cfg.depth]!;
  const pad = hooks.stemPoolPadding ?? 1;
  let x = convBnAct(g, weights, frames, convModuleKeys('backbone.conv1'), { outChannels: 64, kernel: [7, 7], stride: [2, 2], padding: [3, 3] }, { eps, activation: 'relu' });
  x = maxPool(g, x, [3, 3], [2, 2], [pad, pad], 'stem.maxpool');
  const conv = hooks.conv ?? plainConvModule(g, weights, eps);
  for (let i = 0; i < 4; i++) {
    x = residualStage(g, conv, x, `backbone.layer${i + 1}`, {
      block,
      planes: 64 * 2 ** i,
      blocks: stageBlocks[i]!,
      spatialStride: cfg.strides[i]!,
      temporalStride: 1,
      style: cfg.style,
      inflate: [],
      inflateStyle: '3x1x1',
    });
    if (hooks.afterStage) x = hooks.afterStage(i, x);
  }
  return x;
}

/** Feature width of the last stage, for checking the head's in_channels. */
export const resnetFeatureChannels = (depth: number): number => 512 * EXPANSION[RESNET_DEPTHS[depth]!.block];

/** TSN: ResNet per segment, average over segments, fc. */
export const buildTsn: RecognizerBuilder = (model, weights, { viewShape }) => {
  const cfg = parseConfigPart(resnet2dSchema, model.backbone, 'backbone');
  const head = parseConfigPart(tsnHeadSchema, model.cls_head, 'cls_head');
  checkHeadWidth(head.in_channels, resnetFeatureChannels(cfg.depth));
  const g = createGraphBuilder('tsn');
  const { frames, segments } = declareFramesInput(g, model, viewShape, cfg.in_channels);
  const features = resnet2dBackbone(g, weights, frames, cfg); // [V * S, 2048, h, w]
  const logits = pooledLinearHead(g, weights, features, { rowsPerView: segments, numClasses: head.num_classes });
  return finishRecognizer(g, logits, head.num_classes, 'TSN');
};

/** The head's in_channels must equal the backbone's output width. */
export function checkHeadWidth(inChannels: number, backboneChannels: number): void {
  if (inChannels !== backboneChannels) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `cls_head.in_channels = ${inChannels}, but the backbone outputs ${backboneChannels} channels.`, {
      hint: `Set cls_head.in_channels to ${backboneChannels}, as in the model zoo config.`,
    });
  }
}
