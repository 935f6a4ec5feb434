// TSM: MMAction2 `ResNetTSM` (a 2D ResNet whose blocks shift part of the channels in time before
// conv1, shift_place='blockres') with TSMHead.
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import { createGraphBuilder } from '../onnx/index.js';
import { convBnAct } from './layers/conv-bn-act.js';
import { declareFramesInput } from './layers/frames-input.js';
import { parseConfigPart, trainingOnly } from './layers/parse-config.js';
import { finishRecognizer, pooledLinearHead } from './layers/pooled-linear-head.js';
import { RESNET_DEPTHS, plainConvModule, type ConvModuleFn } from './layers/residual-blocks.js';
import { tsmHeadSchema } from './layers/resnet-config.js';
import { temporalShift } from './layers/temporal-shift.js';
import { checkHeadWidth, resnet2dBackbone, resnet2dOptions, resnetFeatureChannels } from './resnet2d.js';
import type { RecognizerBuilder } from './types.js';

const noNonLocal = z.union([z.literal(0), z.array(z.literal(0))]);
const resnetTsmSchema = z.strictObject({
  ...resnet2dOptions,
  num_segments: z.number().int().positive().default(8),
  is_shift: z.boolean().default(true),
  shift_div: z.number().int().positive().default(8),
  shift_place: z.literal('blockres').default('blockres'),
  temporal_pool: z.literal(false).default(false),
  non_local: z.array(noNonLocal).length(4).default([0, 0, 0, 0]),
  non_local_cfg: trainingOnly, // unused while every non_local flag is 0
});

/**
 * The view's segment count must be the clip length the shift and the head group frames by;
 * otherwise MMAction2 itself would mix frames of different views.
 */
export function checkTsmSegments(segments: number, backboneSegments: number | undefined, headSegments: number): void {
  const expected = backboneSegments ?? headSegments;
  if (segments !== expected || headSegments !== expected) {
    throw new ActionLensError(
      'AL_ERR_CONVERSION_FAILED',
      `viewShape[0] = ${segments} segments, but TSM groups frames by backbone.num_segments = ${backboneSegments ?? '(no shift)'} and cls_head.num_segments = ${headSegments}.`,
      { hint: `Sample ${expected} segments per view (the config's num_clips), and keep backbone.num_segments and cls_head.num_segments equal.` },
    );
  }
}

export const buildTsm: RecognizerBuilder = (model, weights, { viewShape }) => {
  const cfg = parseConfigPart(resnetTsmSchema, model.backbone, 'backbone');
  const head = parseConfigPart(tsmHeadSchema, model.cls_head, 'cls_head');
  checkHeadWidth(head.in_channels, resnetFeatureChannels(cfg.depth));
  const g = createGraphBuilder('tsm');
  const { frames, segments } = declareFramesInput(g, model, viewShape, cfg.in_channels);
  checkTsmSegments(segments, cfg.is_shift ? cfg.num_segments : undefined, head.num_segments);

  const plain = plainConvModule(g, weights, cfg.norm_cfg.eps);
  // ResNet-101/152 shift every other block, as MMAction2 does when layer3 has 23 or more blocks.
  const everyNth = RESNET_DEPTHS[cfg.depth]!.stageBlocks[2]! >= 23 ? 2 : 1;
  const shiftedConv: ConvModuleFn = (x, prefix, spec, activation, site) => {
    if (!cfg.is_shift || site.slot !== 'conv1' || site.block % everyNth !== 0) return plain(x, prefix, spec, activation, site);
    const shifted = temporalShift(g, x, cfg.num_segments, cfg.shift_div, `${prefix}.shift`);
    // TemporalShift wraps the conv inside the ConvModule: its weight lives at conv.net.weight
    return convBnAct(g, weights, shifted, { convWeight: `${prefix}.conv.net.weight`, bn: `${prefix}.bn` }, spec, { eps: cfg.norm_cfg.eps, activation });
  };
  const features = resnet2dBackbone(g, weights, frames, cfg, { conv: shiftedConv }); // [V * S, 2048, h, w]
  const logits = pooledLinearHead(g, weights, features, { rowsPerView: segments, numClasses: head.num_classes });
  return finishRecognizer(g, logits, head.num_classes, 'TSM');
};
