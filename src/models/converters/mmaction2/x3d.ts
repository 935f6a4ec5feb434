// X3D (Feichtenhofer 2020) as MMAction2 1.x builds it: backbone `X3D` + head `X3DHead`.
// Stem: conv1_s (1x3x3, stride 2, no norm) -> conv1_t (5x1x1 depthwise, BN, ReLU); four stages of
// BlockX3D (1x1x1 expand -> 3x3x3 depthwise -> [SE] -> Swish -> 1x1x1 project, residual, ReLU);
// conv5 (1x1x1, BN, ReLU). Head: global pool -> fc1 (no bias) -> ReLU -> fc2.
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import { createGraphBuilder, type GraphBuilder } from '../onnx/index.js';
import { builtRecognizer, type BuildOptions, type BuiltRecognizer, type Mmaction2ModelDict } from './types.js';
import type { WeightSource } from './weight-source.js';
import { globalPoolFlatten, linear } from './layers/classifier-ops.js';
import { conv3d, convModule3d } from './layers/conv3d-module.js';
import { BN_EPS } from './layers/fold-batchnorm.js';
import { baseHeadOptions, bn3dCfg, conv3dCfg, parseConfigPart, reluCfg, trainingOnly } from './layers/parse-config.js';
import { declareClipInput } from './layers/recognizer3d-io.js';

const X3dBackboneConfig = z.strictObject({
  type: z.literal('X3D'),
  gamma_w: z.number().min(0).default(1),
  gamma_b: z.number().min(0).default(1),
  gamma_d: z.number().min(0).default(1),
  in_channels: z.int().positive().default(3),
  num_stages: z.int().min(1).max(4).default(4),
  spatial_strides: z.array(z.int().positive()).default([2, 2, 2, 2]),
  se_style: z.enum(['half', 'all']).default('half'),
  se_ratio: z.number().positive().nullable().default(1 / 16),
  // MMAction2 1.x BlockX3D applies Swish after the depthwise conv whatever this flag says.
  use_swish: z.boolean().default(true),
  conv_cfg: conv3dCfg.optional(),
  norm_cfg: bn3dCfg.optional(),
  act_cfg: reluCfg.optional(),
  pretrained: trainingOnly,
  frozen_stages: trainingOnly,
  norm_eval: trainingOnly,
  with_cp: trainingOnly,
  zero_init_residual: trainingOnly,
  init_cfg: trainingOnly,
});
export type X3dBackboneConfig = z.output<typeof X3dBackboneConfig>;

const X3dHeadConfig = z.strictObject({
  type: z.literal('X3DHead'),
  num_classes: z.int().positive(),
  in_channels: z.int().positive(),
  spatial_type: z.enum(['avg', 'max']).default('avg'),
  fc1_bias: z.boolean().default(false),
  ...baseHeadOptions,
});

/** X3DHead's hidden width is fixed in MMAction2. */
const X3D_HEAD_MID_CHANNELS = 2048;
const X3D_BASE_CHANNELS = 24;
const X3D_BASE_STAGE_BLOCKS = [1, 2, 5, 3];

/** Rounds channels * multiplier to a multiple of 8 (at least 8), never more than 10% below. */
export function roundWidth(width: number, multiplier: number | null, minWidth = 8, divisor = 8): number {
  if (!multiplier) return width;
  const scaled = width * multiplier;
  let rounded = Math.max(minWidth, Math.floor(Math.trunc(scaled + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * scaled) rounded += divisor;
  return Math.trunc(rounded);
}

export interface X3dStage {
  /** Channels entering the stage's first block. */
  inChannels: number;
  /** Block output (and residual) width. */
  outChannels: number;
  /** Expanded width of the depthwise conv (gamma_b * outChannels). */
  midChannels: number;
  blocks: number;
  spatialStride: number;
}

export interface X3dArchitecture {
  baseChannels: number;
  stages: X3dStage[];
  /** Channels after conv5: what the head receives. */
  featDim: number;
}

/** Widths and depths of every stage, from gamma_w / gamma_b / gamma_d. */
export function x3dArchitecture(cfg: X3dBackboneConfig): X3dArchitecture {
  if (cfg.spatial_strides.length !== cfg.num_stages) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `backbone.spatial_strides = [${cfg.spatial_strides}] has ${cfg.spatial_strides.length} entries; num_stages = ${cfg.num_stages} needs one per stage.`, {
      hint: 'Give one spatial stride per stage.',
    });
  }
  const baseChannels = roundWidth(X3D_BASE_CHANNELS, cfg.gamma_w);
  const blocks = X3D_BASE_STAGE_BLOCKS.map((n) => (cfg.gamma_d ? Math.ceil(cfg.gamma_d * n) : n)).slice(0, cfg.num_stages);
  let inChannels = baseChannels;
  const stages = blocks.map((count, i): X3dStage => {
    const outChannels = baseChannels * 2 ** i;
    const stage = { inChannels, outChannels, midChannels: Math.trunc(outChannels * cfg.gamma_b), blocks: count, spatialStride: cfg.spatial_strides[i]! };
    inChannels = outChannels;
    return stage;
  });
  return { baseChannels, stages, featDim: Math.trunc(inChannels * cfg.gamma_b) };
}

interface BlockContext {
  g: GraphBuilder;
  weights: WeightSource;
  bnEps: number;
}

/** Squeeze-excitation: x * sigmoid(fc2(relu(fc1(avgpool(x))))), fc1/fc2 are 1x1x1 convs with bias. */
function squeezeExcite(ctx: BlockContext, path: string, x: string, channels: number, ratio: number): string {
  const { g, weights } = ctx;
  const bottleneck = roundWidth(channels, ratio);
  const [pooled] = g.node('GlobalAveragePool', [x], {}, { outputs: [g.uniqueName(`${path}.pool`)] }); // [N, C, 1, 1, 1]
  const one = [1, 1, 1] as const;
  const fc1 = conv3d(g, weights, `${path}.fc1`, pooled!, { inChannels: channels, outChannels: bottleneck, kernel: one, bias: true });
  const [relu] = g.node('Relu', [fc1], {}, { outputs: [g.uniqueName(`${path}.relu`)] });
  const fc2 = conv3d(g, weights, `${path}.fc2`, relu!, { inChannels: bottleneck, outChannels: channels, kernel: one, bias: true });
  const [gate] = g.node('Sigmoid', [fc2], {}, { outputs: [g.uniqueName(`${path}.gate`)] });
  const [y] = g.node('Mul', [x, gate!], {}, { outputs: [g.uniqueName(path)] }); // broadcast over T, H, W
  return y!;
}

function swish(g: GraphBuilder, x: string, name: string): string {
  const [s] = g.node('Sigmoid', [x], {}, { outputs: [g.uniqueName(`${name}.sigmoid`)] });
  const [y] = g.node('Mul', [x, s!], {}, { outputs: [g.uniqueName(name)] });
  return y!;
}

function blockX3d(
  ctx: BlockContext,
  path: string,
  x: string,
  b: { inChannels: number; midChannels: number; outChannels: number; spatialStride: number; downsample: boolean; seRatio: number | null },
): string {
  const { g, weights } = ctx;
  const stride = [1, b.spatialStride, b.spatialStride] as const;
  const one = [1, 1, 1] as const;
  let out = convModule3d(g, weights, `${path}.conv1`, x, { inChannels: b.inChannels, outChannels: b.midChannels, kernel: one, norm: true, act: 'relu', bnEps: ctx.bnEps });
  out = convModule3d(g, weights, `${path}.conv2`, out, {
    inChannels: b.midChannels, outChannels: b.midChannels, kernel: [3, 3, 3], stride, padding: [1, 1, 1], groups: b.midChannels, norm: true, act: null, bnEps: ctx.bnEps,
  });
  if (b.seRatio !== null) out = squeezeExcite(ctx, `${path}.se_module`, out, b.midChannels, b.seRatio);
  out = swish(g, out, `${path}.swish`);
  out = convModule3d(g, weights, `${path}.conv3`, out, { inChannels: b.midChannels, outChannels: b.outChannels, kernel: one, norm: true, act: null, bnEps: ctx.bnEps });
  const identity = b.downsample
    ? convModule3d(g, weights, `${path}.downsample`, x, { inChannels: b.inChannels, outChannels: b.outChannels, kernel: one, stride, norm: true, act: null, bnEps: ctx.bnEps })
    : x;
  const [sum] = g.node('Add', [out, identity], {}, { outputs: [g.uniqueName(`${path}.add`)] });
  const [y] = g.node('Relu', [sum!], {}, { outputs: [g.uniqueName(path)] });
  return y!;
}

/** X3D backbone on x [N, 3, T, H, W] -> [N, featDim, T, H/32, W/32] (default strides). */
function x3dBackbone(ctx: BlockContext, cfg: X3dBackboneConfig, arch: X3dArchitecture, x: string): string {
  const { g, weights } = ctx;
  const base = arch.baseChannels;
  let y = convModule3d(g, weights, 'backbone.conv1_s', x, {
    inChannels: cfg.in_channels, outChannels: base, kernel: [1, 3, 3], stride: [1, 2, 2], padding: [0, 1, 1], norm: false, act: null,
  });
  y = convModule3d(g, weights, 'backbone.conv1_t', y, {
    inChannels: base, outChannels: base, kernel: [5, 1, 1], padding: [2, 0, 0], groups: base, norm: true, act: 'relu', bnEps: ctx.bnEps,
  });
  arch.stages.forEach((stage, i) => {
    for (let j = 0; j < stage.blocks; j++) {
      const first = j === 0;
      const inChannels = first ? stage.inChannels : stage.outChannels;
      const spatialStride = first ? stage.spatialStride : 1;
      const useSe = cfg.se_style === 'all' || j % 2 === 0;
      y = blockX3d(ctx, `backbone.layer${i + 1}.${j}`, y, {
        inChannels,
        midChannels: stage.midChannels,
        outChannels: stage.outChannels,
        spatialStride,
        downsample: first && (spatialStride !== 1 || inChannels !== stage.outChannels),
        seRatio: useSe ? cfg.se_ratio : null,
      });
    }
  });
  const last = arch.stages[arch.stages.length - 1]!.outChannels;
  return convModule3d(g, weights, 'backbone.conv5', y, { inChannels: last, outChannels: arch.featDim, kernel: [1, 1, 1], norm: true, act: 'relu', bnEps: ctx.bnEps });
}

export interface X3dGraphOptions {
  /** Also output the backbone's features as `backbone` (MMAction2 stage='backbone'). */
  backboneOutputs?: boolean;
}

export function buildX3dGraph(model: Mmaction2ModelDict, weights: WeightSource, opts: BuildOptions, graphOpts: X3dGraphOptions = {}): BuiltRecognizer {
  const cfg = parseConfigPart(X3dBackboneConfig, model.backbone, 'backbone');
  const head = parseConfigPart(X3dHeadConfig, model.cls_head, 'cls_head');
  const arch = x3dArchitecture(cfg);
  if (head.in_channels !== arch.featDim) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `cls_head.in_channels = ${head.in_channels} does not match the X3D backbone's output width ${arch.featDim} (from gamma_w=${cfg.gamma_w}, gamma_b=${cfg.gamma_b}).`, {
      hint: `Set cls_head.in_channels to ${arch.featDim}.`,
    });
  }
  const g = createGraphBuilder('mmaction2_x3d');
  const ctx: BlockContext = { g, weights, bnEps: cfg.norm_cfg?.eps ?? BN_EPS };
  const { input } = declareClipInput(g, model, opts.viewShape, cfg.in_channels);
  const features = x3dBackbone(ctx, cfg, arch, input); // [V, featDim, T', H', W']
  if (graphOpts.backboneOutputs) {
    g.node('Identity', [features], {}, { outputs: ['backbone'] });
    g.output('backbone', 'float32', ['views', arch.featDim, undefined, undefined, undefined]);
  }
  const pooled = globalPoolFlatten(g, features, head.spatial_type, 'cls_head'); // [V, featDim]
  const fc1 = linear(g, weights, 'cls_head.fc1', pooled, { inFeatures: head.in_channels, outFeatures: X3D_HEAD_MID_CHANNELS, bias: head.fc1_bias });
  const [hidden] = g.node('Relu', [fc1], {}, { outputs: [g.uniqueName('cls_head.relu')] }); // [V, 2048]
  linear(g, weights, 'cls_head.fc2', hidden!, { inFeatures: X3D_HEAD_MID_CHANNELS, outFeatures: head.num_classes, bias: true, outputName: 'logits' });
  g.output('logits', 'float32', ['views', head.num_classes]);
  return builtRecognizer(g.toModelChunks({ producer: 'actionlens', opset: 17 }), head.num_classes);
}

/** RecognizerBuilder for backbone.type 'X3D'. */
export function buildX3d(model: Mmaction2ModelDict, weights: WeightSource, opts: BuildOptions): BuiltRecognizer {
  return buildX3dGraph(model, weights, opts);
}
