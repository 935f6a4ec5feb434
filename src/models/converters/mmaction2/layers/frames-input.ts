// Graph boundary of a Recognizer2D: `input` [views, segments, C, H, W]. MMAction2 flattens views and
// segments into one batch of frames, so the 2D backbone sees [views * segments, C, H, W].
import { ActionLensError } from '../../../../core/errors.js';
import { tensors, type GraphBuilder } from '../../onnx/index.js';
import type { FeatureMap } from './feature-map.js';

export interface FramesInput {
  /** Every frame of every view, [views * segments, C, H, W]. */
  frames: FeatureMap;
  segments: number;
}

/** Checks viewShape = [segments, C, H, W], declares `input` and flattens it to frames. */
export function declareFramesInput(g: GraphBuilder, model: { type: string }, viewShape: readonly number[], inChannels: number): FramesInput {
  if (model.type !== 'Recognizer2D') {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `model.type = "${model.type}" is not supported by this 2D backbone; expected "Recognizer2D".`, {
      hint: 'Use the config this backbone ships with in the MMAction2 model zoo.',
    });
  }
  const [segments, channels, height, width] = viewShape;
  if (viewShape.length !== 4 || channels !== inChannels || !viewShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `viewShape = [${viewShape.join(', ')}] is not a segment shape [segments, ${inChannels}, H, W] with positive integers.`, {
      hint: `Pass viewShape as [num_clips, ${inChannels}, crop_height, crop_width] from the config's test pipeline.`,
    });
  }
  const input = g.input('input', 'float32', ['views', segments!, channels!, height!, width!]);
  const shape = g.constant('frames.shape', tensors.int64([-1, channels!, height!, width!]));
  const [frames] = g.node('Reshape', [input, shape], {}, { outputs: ['frames'] }); // [V * S, C, H, W]
  return { frames: { name: frames!, dims: [channels!, height!, width!] }, segments: segments! };
}
