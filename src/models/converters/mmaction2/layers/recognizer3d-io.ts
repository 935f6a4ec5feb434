// Graph boundary of a Recognizer3D: `input` [views, C, T, H, W] in, `logits` [views, num_classes] out.
// MMAction2 folds the views axis into the batch axis, so each view runs as one batch sample.
import { ActionLensError } from '../../../../core/errors.js';
import type { GraphBuilder } from '../../onnx/index.js';

export interface ClipShape {
  channels: number;
  frames: number;
  height: number;
  width: number;
}

/** Checks viewShape = [C, T, H, W] and declares the graph input [views, C, T, H, W]. */
export function declareClipInput(g: GraphBuilder, model: { type: string }, viewShape: readonly number[], inChannels: number): { input: string; clip: ClipShape } {
  if (model.type !== 'Recognizer3D') {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `model.type = "${model.type}" is not supported by this 3D backbone; expected "Recognizer3D".`, {
      hint: 'Use the config this backbone ships with in the MMAction2 model zoo.',
    });
  }
  const [channels, frames, height, width] = viewShape;
  if (viewShape.length !== 4 || channels !== inChannels || !viewShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `viewShape = [${viewShape.join(', ')}] is not a clip shape [${inChannels}, T, H, W] with positive integer T, H, W.`, {
      hint: `Pass viewShape as [${inChannels}, clip_len, crop_height, crop_width] from the config's test pipeline.`,
    });
  }
  const input = g.input('input', 'float32', ['views', channels, frames, height, width]);
  return { input, clip: { channels: channels!, frames: frames!, height: height!, width: width! } };
}
