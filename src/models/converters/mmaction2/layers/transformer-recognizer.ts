// The frame every transformer recognizer shares: the `input` [views, C, T, H, W] graph input, the
// head's nn.Linear writing `logits` [views, num_classes], and serialisation.
import { z } from 'zod';
import { ActionLensError } from '../../../../core/errors.js';
import { createGraphBuilder, type GraphBuilder } from '../../onnx/index.js';
import { builtRecognizer, type BuiltRecognizer, type Mmaction2ModelDict } from '../types.js';
import type { WeightSource } from '../weight-source.js';
import { parseConfigPart } from './parse-config.js';

export const PRODUCER = 'actionlens-mmaction2';

/** Heads whose logits are fc_cls(features): TimeSformerHead, MViTHead, I3DHead after pooling. */
const LinearHeadSchema = z.object({
  type: z.string(),
  num_classes: z.number().int().positive(),
  in_channels: z.number().int().positive(),
  // I3DHead: only average pooling (the zoo's choice) is built.
  spatial_type: z.enum(['avg']).optional(),
});
export type LinearHeadConfig = z.output<typeof LinearHeadSchema>;

export function parseLinearHead(model: Mmaction2ModelDict, allowedTypes: readonly [string, ...string[]]): LinearHeadConfig {
  return parseConfigPart(LinearHeadSchema.extend({ type: z.enum(allowedTypes) }), model.cls_head, 'cls_head');
}

export interface RecognizerGraph {
  g: GraphBuilder;
  /** `input` [views, ...viewShape]. */
  input: string;
}

/** Declares `input`; these backbones only come inside a Recognizer3D (one clip per view). */
export function startRecognizer(name: string, model: Mmaction2ModelDict, viewShape: readonly number[]): RecognizerGraph {
  if (model.type !== 'Recognizer3D') {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `model.type = "${model.type}" is not supported with backbone ${model.backbone.type}; expected "Recognizer3D".`, {
      hint: 'Use the config this backbone ships with in the MMAction2 model zoo.',
    });
  }
  const g = createGraphBuilder(name);
  const input = g.input('input', 'float32', ['views', ...viewShape]);
  return { g, input };
}

/** fc_cls on features [views, in_channels] -> `logits` [views, num_classes], then the ONNX bytes. */
export function finishRecognizer(rg: RecognizerGraph, weights: WeightSource, features: string, head: LinearHeadConfig): BuiltRecognizer {
  const { g } = rg;
  const w = g.constant('cls_head.fc_cls.weight', { dtype: 'float32', dims: [head.num_classes, head.in_channels], data: weights.param('cls_head.fc_cls.weight', [head.num_classes, head.in_channels]) });
  const b = g.constant('cls_head.fc_cls.bias', { dtype: 'float32', dims: [head.num_classes], data: weights.param('cls_head.fc_cls.bias', [head.num_classes]) });
  g.node('Gemm', [features, w, b], { transB: 1 }, { outputs: ['logits'], outputInfo: [{ dtype: 'float32', dims: ['views', head.num_classes] }] });
  g.output('logits');
  return builtRecognizer(g.toModelChunks({ producer: PRODUCER, opset: 17 }), head.num_classes);
}
