// MMAction2 `C2D`: a 2D ResNet-50 run on every frame of a clip, with a temporal max pool (kernel
// 2, stride 2) after layer1 and I3DHead on top. The clip's frames ride in the batch axis, so the
// only 3D operation is that pool, done as a pairwise ReduceMax over frames.
import { z } from 'zod';
import { ActionLensError } from '../../../core/errors.js';
import { createGraphBuilder, tensors, type GraphBuilder } from '../onnx/index.js';
import type { FeatureMap } from './layers/feature-map.js';
import { parseConfigPart } from './layers/parse-config.js';
import { finishRecognizer, pooledLinearHead } from './layers/pooled-linear-head.js';
import { declareClipInput } from './layers/recognizer3d-io.js';
import { i3dHeadSchema } from './layers/resnet-config.js';
import { checkHeadWidth, resnet2dBackbone, resnet2dOptions, resnetFeatureChannels } from './resnet2d.js';
import type { RecognizerBuilder } from './types.js';

const c2dSchema = z.strictObject(resnet2dOptions);

/** MaxPool3d((2, 1, 1), stride (2, 1, 1)) over the `frames` consecutive rows of each clip. */
export function pairwiseTemporalMaxPool(g: GraphBuilder, x: FeatureMap, frames: number, label: string): { pooled: FeatureMap; frames: number } {
  if (frames < 2) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `C2D needs at least 2 frames per view for its temporal pool after layer1; viewShape has T = ${frames}.`, {
      hint: 'Pass viewShape [3, clip_len, H, W] with clip_len >= 2 (the zoo configs use 8).',
    });
  }
  const [c, h, w] = x.dims as [number, number, number];
  const kept = 2 * Math.floor(frames / 2); // an odd last frame has no partner and is dropped
  const i64 = (hint: string, v: number[]) => g.constant(hint, tensors.int64(v));
  let [clips] = g.node('Reshape', [x.name, i64('tpool.clip_shape', [-1, frames, c, h * w])], {}, { outputs: [g.uniqueName(`${label}.clips`)] }); // [V, T, C, HW]
  if (kept !== frames) {
    [clips] = g.node('Slice', [clips!, i64('tpool.start', [0]), i64('tpool.end', [kept]), i64('tpool.axis', [1])], {}, { outputs: [g.uniqueName(`${label}.even`)] });
  }
  const [pairs] = g.node('Reshape', [clips!, i64('tpool.pair_shape', [-1, kept / 2, 2, c, h * w])], {}, { outputs: [g.uniqueName(`${label}.pairs`)] }); // [V, T/2, 2, C, HW]
  const [maxed] = g.node('ReduceMax', [pairs!], { axes: [2], keepdims: 0 }, { outputs: [g.uniqueName(`${label}.max`)] }); // [V, T/2, C, HW]
  const [y] = g.node('Reshape', [maxed!, i64('tpool.frame_shape', [-1, c, h, w])], {}, { outputs: [g.uniqueName(label)] }); // [V * T/2, C, H, W]
  return { pooled: { name: y!, dims: x.dims }, frames: kept / 2 };
}

export const buildC2d: RecognizerBuilder = (model, weights, { viewShape }) => {
  const cfg = parseConfigPart(c2dSchema, model.backbone, 'backbone');
  const head = parseConfigPart(i3dHeadSchema, model.cls_head, 'cls_head');
  checkHeadWidth(head.in_channels, resnetFeatureChannels(cfg.depth));
  const g = createGraphBuilder('c2d');
  const { input, clip } = declareClipInput(g, model, viewShape, cfg.in_channels);
  const [byFrame] = g.node('Transpose', [input], { perm: [0, 2, 1, 3, 4] }, { outputs: ['clip.by_frame'] }); // [V, T, C, H, W]
  const [frames] = g.node('Reshape', [byFrame!, g.constant('clip.frames_shape', tensors.int64([-1, clip.channels, clip.height, clip.width]))], {}, { outputs: ['clip.frames'] }); // [V * T, C, H, W]

  let framesPerView = clip.frames;
  const features = resnet2dBackbone(g, weights, { name: frames!, dims: [clip.channels, clip.height, clip.width] }, cfg, {
    stemPoolPadding: 0, // C2D's stem pool is MaxPool3d((1, 3, 3), stride (1, 2, 2)) without padding
    afterStage: (index, x) => {
      if (index !== 0) return x;
      const { pooled, frames: halved } = pairwiseTemporalMaxPool(g, x, framesPerView, 'layer1.temporal_pool');
      framesPerView = halved;
      return pooled;
    },
  }); // [V * T/2, 2048, h, w]
  const logits = pooledLinearHead(g, weights, features, { rowsPerView: framesPerView, numClasses: head.num_classes });
  return finishRecognizer(g, logits, head.num_classes, 'C2D');
};
