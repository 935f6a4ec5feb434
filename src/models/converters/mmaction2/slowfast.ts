// SlowFast (Feichtenhofer 2019) as MMAction2 1.x builds it: backbone `ResNet3dSlowFast` + head
// `SlowFastHead`. The clip is resampled by nearest neighbour in time into a slow pathway (1 frame in
// resample_rate) and a fast one (1 in resample_rate / speed_ratio); after the stem and after each of
// the first three stages, a lateral conv brings fast features to the slow frame rate and they are
// concatenated onto the slow features. Head: pool both, concat (fast, slow), one Linear.
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import { createGraphBuilder, tensors, type GraphBuilder } from '../onnx/index.js';
import { builtRecognizer, type BuildOptions, type BuiltRecognizer, type Mmaction2ModelDict } from './types.js';
import type { WeightSource } from './weight-source.js';
import type { Feature3d } from './layers/bottleneck3d.js';
import { globalPoolFlatten, linear } from './layers/classifier-ops.js';
import { baseHeadOptions, parseConfigPart, trainingOnly } from './layers/parse-config.js';
import { declareClipInput } from './layers/recognizer3d-io.js';
import { createPathway, lateralConnection, parsePathwayConfig, pathwayStage, pathwayStem, stageOutChannels } from './slowfast-pathway.js';

// Defaults of ResNet3dSlowFast's slow_pathway / fast_pathway arguments.
const DEFAULT_SLOW_PATHWAY = { type: 'resnet3d', depth: 50, lateral: true, conv1_kernel: [1, 7, 7], conv1_stride_t: 1, pool1_stride_t: 1, inflate: [0, 0, 1, 1] };
const DEFAULT_FAST_PATHWAY = { type: 'resnet3d', depth: 50, lateral: false, base_channels: 8, conv1_kernel: [5, 7, 7], conv1_stride_t: 1, pool1_stride_t: 1 };

const SlowFastConfig = z.strictObject({
  type: z.literal('ResNet3dSlowFast'),
  resample_rate: z.int().positive().default(8),
  speed_ratio: z.int().positive().default(8),
  channel_ratio: z.int().positive().default(8),
  slow_pathway: z.record(z.string(), z.unknown()).default(DEFAULT_SLOW_PATHWAY),
  fast_pathway: z.record(z.string(), z.unknown()).default(DEFAULT_FAST_PATHWAY),
  pretrained: trainingOnly,
  init_cfg: trainingOnly,
});

const SlowFastHeadConfig = z.strictObject({
  type: z.literal('SlowFastHead'),
  num_classes: z.int().positive(),
  in_channels: z.int().positive(),
  // MMAction2 has no pooling for other values, so its forward only works with 'avg'.
  spatial_type: z.literal('avg').default('avg'),
  ...baseHeadOptions,
});

/**
 * Frame indices F.interpolate(mode='nearest', scale_factor=1/rate) keeps along time: floor(T / rate)
 * frames, frame i taken from floor(i * rate) (scale computed in float32, as PyTorch's CPU kernel).
 */
export function nearestResampleIndices(frames: number, rate: number): number[] {
  const outFrames = Math.floor(frames * (1 / rate));
  const scale = Math.fround(1 / (1 / rate));
  return Array.from({ length: outFrames }, (_, i) => Math.min(Math.floor(Math.fround(i * scale)), frames - 1));
}

/** x [N, C, T, H, W] -> [N, C, T / rate, H, W] (identity for rate 1). */
function resampleTime(g: GraphBuilder, x: Feature3d, rate: number, name: string): Feature3d {
  if (rate === 1) return x;
  const indices = nearestResampleIndices(x.size[0], rate);
  if (indices.length === 0) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `viewShape T = ${x.size[0]} frames is shorter than the ${name} resample rate ${rate}; the pathway would get no frame.`, {
      hint: `Sample at least ${rate} frames per clip (the config's SampleFrames clip_len).`,
    });
  }
  const [value] = g.node('Gather', [x.value, g.constant(`${name}.frame_indices`, tensors.int64(indices))], { axis: 2 }, { outputs: [g.uniqueName(name)] });
  return { value: value!, channels: x.channels, size: [indices.length, x.size[1], x.size[2]] };
}

/** Concatenates a lateral onto the slow features along channels; both must share (T, H, W). */
function fuse(g: GraphBuilder, slow: Feature3d, lateral: Feature3d, name: string): Feature3d {
  if (slow.size.join() !== lateral.size.join()) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${name}: slow features are (T, H, W) = (${slow.size.join(', ')}) but the lateral from the fast pathway is (${lateral.size.join(', ')}).`, {
      hint: 'Use a clip_len that is a multiple of resample_rate, and the same spatial strides in both pathways.',
    });
  }
  const [value] = g.node('Concat', [slow.value, lateral.value], { axis: 1 }, { outputs: [g.uniqueName(name)] }); // [N, C_slow + C_lat, T, H, W]
  return { value: value!, channels: slow.channels + lateral.channels, size: slow.size };
}

export interface SlowFastGraphOptions {
  /** Also output the backbone's features `backbone_slow` and `backbone_fast` (MMAction2 stage='backbone'). */
  backboneOutputs?: boolean;
}

export function buildSlowFastGraph(model: Mmaction2ModelDict, weights: WeightSource, opts: BuildOptions, graphOpts: SlowFastGraphOptions = {}): BuiltRecognizer {
  const cfg = parseConfigPart(SlowFastConfig, model.backbone, 'backbone');
  const head = parseConfigPart(SlowFastHeadConfig, model.cls_head, 'cls_head');
  const slowCfg = parsePathwayConfig(cfg.slow_pathway.lateral ? { ...cfg.slow_pathway, speed_ratio: cfg.speed_ratio, channel_ratio: cfg.channel_ratio } : cfg.slow_pathway, 'backbone.slow_pathway');
  const fastCfg = parsePathwayConfig(cfg.fast_pathway, 'backbone.fast_pathway');
  if (fastCfg.lateral) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', 'backbone.fast_pathway.lateral = true is not supported: laterals run from the fast pathway into the slow one.', { hint: 'Set fast_pathway.lateral to false.' });
  }
  const fastRate = Math.floor(cfg.resample_rate / cfg.speed_ratio);
  if (fastRate < 1) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `backbone.resample_rate = ${cfg.resample_rate} is smaller than speed_ratio = ${cfg.speed_ratio}; the fast pathway rate resample_rate // speed_ratio would be 0.`, {
      hint: 'Use resample_rate >= speed_ratio.',
    });
  }
  const slow = createPathway(slowCfg, 'backbone.slow_path');
  const fast = createPathway(fastCfg, 'backbone.fast_path');
  const featDim = stageOutChannels(slow, 3) + stageOutChannels(fast, 3);
  if (head.in_channels !== featDim) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `cls_head.in_channels = ${head.in_channels} does not match the SlowFast backbone's output width ${featDim} (slow ${stageOutChannels(slow, 3)} + fast ${stageOutChannels(fast, 3)}).`, {
      hint: `Set cls_head.in_channels to ${featDim}.`,
    });
  }

  const g = createGraphBuilder('mmaction2_slowfast');
  const { input, clip } = declareClipInput(g, model, opts.viewShape, slowCfg.in_channels);
  const x: Feature3d = { value: input, channels: clip.channels, size: [clip.frames, clip.height, clip.width] };
  let xSlow = pathwayStem(g, weights, slow, resampleTime(g, x, cfg.resample_rate, 'slow_frames'));
  let xFast = pathwayStem(g, weights, fast, resampleTime(g, x, fastRate, 'fast_frames'));
  if (slowCfg.lateral) xSlow = fuse(g, xSlow, lateralConnection(g, weights, slow, 'conv1_lateral', slowCfg.base_channels, xFast), 'slow_fused0');
  for (let i = 0; i < 4; i++) {
    xSlow = pathwayStage(g, weights, slow, i, xSlow);
    xFast = pathwayStage(g, weights, fast, i, xFast);
    if (slowCfg.lateral && i < 3) {
      xSlow = fuse(g, xSlow, lateralConnection(g, weights, slow, `layer${i + 1}_lateral`, stageOutChannels(slow, i), xFast), `slow_fused${i + 1}`);
    }
  }
  if (graphOpts.backboneOutputs) {
    g.node('Identity', [xSlow.value], {}, { outputs: ['backbone_slow'] });
    g.node('Identity', [xFast.value], {}, { outputs: ['backbone_fast'] });
    g.output('backbone_slow', 'float32', ['views', xSlow.channels, ...xSlow.size]);
    g.output('backbone_fast', 'float32', ['views', xFast.channels, ...xFast.size]);
  }

  // SlowFastHead: [V, C_fast] ++ [V, C_slow] -> [V, C_fast + C_slow] -> Linear -> [V, num_classes]
  const pooledFast = globalPoolFlatten(g, xFast.value, 'avg', 'cls_head.fast');
  const pooledSlow = globalPoolFlatten(g, xSlow.value, 'avg', 'cls_head.slow');
  const [pooled] = g.node('Concat', [pooledFast, pooledSlow], { axis: 1 }, { outputs: [g.uniqueName('cls_head.concat')] });
  linear(g, weights, 'cls_head.fc_cls', pooled!, { inFeatures: featDim, outFeatures: head.num_classes, bias: true, outputName: 'logits' });
  g.output('logits', 'float32', ['views', head.num_classes]);
  return builtRecognizer(g.toModelChunks({ producer: 'actionlens', opset: 17 }), head.num_classes);
}

/** RecognizerBuilder for backbone.type 'ResNet3dSlowFast'. */
export function buildSlowFast(model: Mmaction2ModelDict, weights: WeightSource, opts: BuildOptions): BuiltRecognizer {
  return buildSlowFastGraph(model, weights, opts);
}
