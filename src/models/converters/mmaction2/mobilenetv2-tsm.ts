// TSM on MobileNetV2: MMAction2 `MobileNetV2TSM` (inverted residual blocks with ReLU6; blocks with
// an identity shortcut and an expansion conv shift channels in time before that conv) + TSMHead.
import { z } from 'zod';
import { createGraphBuilder, type GraphBuilder } from '../onnx/index.js';
import { convBnAct, convModuleKeys, type Activation, type ConvBnKeys, type ConvSpec } from './layers/conv-bn-act.js';
import type { FeatureMap } from './layers/feature-map.js';
import { declareFramesInput } from './layers/frames-input.js';
import { parseConfigPart } from './layers/parse-config.js';
import { finishRecognizer, pooledLinearHead } from './layers/pooled-linear-head.js';
import { backboneTrainingOptions, batchNormCfg, relu6Cfg, tsmHeadSchema } from './layers/resnet-config.js';
import { temporalShift } from './layers/temporal-shift.js';
import { checkHeadWidth } from './resnet2d.js';
import { checkTsmSegments } from './tsm.js';
import type { RecognizerBuilder } from './types.js';
import type { WeightSource } from './weight-source.js';

/** [expand_ratio, channels, blocks, first stride] per layer, as MobileNetV2's arch_settings. */
const ARCH: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

const mobilenetV2TsmSchema = z.strictObject({
  ...backboneTrainingOptions,
  widen_factor: z.number().positive().default(1),
  out_indices: z.tuple([z.literal(7)]).default([7]),
  conv_cfg: z.strictObject({ type: z.enum(['Conv', 'Conv2d']) }).default({ type: 'Conv' }),
  norm_cfg: batchNormCfg.default({ type: 'BN2d', eps: 1e-5 }),
  act_cfg: relu6Cfg.default({ type: 'ReLU6' }),
  num_segments: z.number().int().positive().default(8),
  is_shift: z.boolean().default(true),
  shift_div: z.number().int().positive().default(8),
});
type MobileNetV2TsmConfig = z.output<typeof mobilenetV2TsmSchema>;

/** Rounds a channel count to a multiple of `divisor`, never more than 10% down (make_divisible). */
export function makeDivisible(value: number, divisor: number): number {
  let rounded = Math.max(divisor, Math.floor(Math.trunc(value + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * value) rounded += divisor;
  return rounded;
}

/** Python's round(): halves go to the even neighbour. */
const roundHalfEven = (v: number): number => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));

function pointwise(outChannels: number): ConvSpec {
  return { outChannels, kernel: [1, 1], stride: [1, 1], padding: [0, 0] };
}

function invertedResidual(
  g: GraphBuilder, weights: WeightSource, x: FeatureMap, prefix: string, cfg: MobileNetV2TsmConfig,
  block: { outChannels: number; stride: number; expandRatio: number },
): FeatureMap {
  const eps = cfg.norm_cfg.eps;
  const inChannels = x.dims[0]!;
  const hidden = roundHalfEven(inChannels * block.expandRatio);
  const residual = block.stride === 1 && inChannels === block.outChannels;
  const conv = (input: FeatureMap, keys: ConvBnKeys, spec: ConvSpec, activation: Activation) => convBnAct(g, weights, input, keys, spec, { eps, activation });

  let slot = 0;
  let y = x;
  if (block.expandRatio !== 1) {
    // The shift wraps the whole expansion ConvModule, hence conv.0.net.{conv,bn}.
    const shift = cfg.is_shift && residual;
    const expandPrefix = shift ? `${prefix}.conv.0.net` : `${prefix}.conv.0`;
    if (shift) y = temporalShift(g, y, cfg.num_segments, cfg.shift_div, `${prefix}.shift`);
    y = conv(y, convModuleKeys(expandPrefix), pointwise(hidden), 'relu6');
    slot++;
  }
  const depthwise: ConvSpec = { outChannels: hidden, kernel: [3, 3], stride: [block.stride, block.stride], padding: [1, 1], groups: hidden };
  y = conv(y, convModuleKeys(`${prefix}.conv.${slot++}`), depthwise, 'relu6');
  y = conv(y, convModuleKeys(`${prefix}.conv.${slot}`), pointwise(block.outChannels), 'none');
  if (!residual) return y;
  const [sum] = g.node('Add', [x.name, y.name], {}, { outputs: [g.uniqueName(`${prefix}.add`)] });
  return { name: sum!, dims: y.dims };
}

/** frames [N, 3, H, W] -> [N, 1280 (x widen), H/32, W/32]. */
function mobilenetV2Backbone(g: GraphBuilder, weights: WeightSource, frames: FeatureMap, cfg: MobileNetV2TsmConfig): FeatureMap {
  const eps = cfg.norm_cfg.eps;
  const stem = makeDivisible(32 * cfg.widen_factor, 8);
  let x = convBnAct(g, weights, frames, convModuleKeys('backbone.conv1'), { outChannels: stem, kernel: [3, 3], stride: [2, 2], padding: [1, 1] }, { eps, activation: 'relu6' });
  ARCH.forEach(([expandRatio, channels, blocks, firstStride], layer) => {
    const outChannels = makeDivisible(channels * cfg.widen_factor, 8);
    for (let i = 0; i < blocks; i++) {
      x = invertedResidual(g, weights, x, `backbone.layer${layer + 1}.${i}`, cfg, { outChannels, stride: i === 0 ? firstStride : 1, expandRatio });
    }
  });
  return convBnAct(g, weights, x, convModuleKeys('backbone.conv2'), pointwise(mobilenetV2Width(cfg.widen_factor)), { eps, activation: 'relu6' });
}

export const mobilenetV2Width = (widenFactor: number): number => (widenFactor > 1 ? Math.trunc(1280 * widenFactor) : 1280);

export const buildMobileNetV2Tsm: RecognizerBuilder = (model, weights, { viewShape }) => {
  const cfg = parseConfigPart(mobilenetV2TsmSchema, model.backbone, 'backbone');
  const head = parseConfigPart(tsmHeadSchema, model.cls_head, 'cls_head');
  checkHeadWidth(head.in_channels, mobilenetV2Width(cfg.widen_factor));
  const g = createGraphBuilder('tsm_mobilenetv2');
  const { frames, segments } = declareFramesInput(g, model, viewShape, 3);
  checkTsmSegments(segments, cfg.is_shift ? cfg.num_segments : undefined, head.num_segments);
  const features = mobilenetV2Backbone(g, weights, frames, cfg); // [V * S, 1280, h, w]
  const logits = pooledLinearHead(g, weights, features, { rowsPerView: segments, numClasses: head.num_classes });
  return finishRecognizer(g, logits, head.num_classes, 'TSM-MobileNetV2');
};
