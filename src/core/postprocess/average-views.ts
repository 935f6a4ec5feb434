// MMAction2's `BaseHead.average_clip` for one video: V views (clips x crops) of raw class scores in,
// one score vector out. 'prob' = mean of each view's softmax, 'score' = mean of the raw scores.
import { ActionLensError } from '../errors.js';
import { softmax } from './softmax.js';

export type ViewAverage = 'prob' | 'score';

export const VIEW_AVERAGES: readonly ViewAverage[] = ['prob', 'score'];

/**
 * logits: [views, numClasses] row-major. Returns [numClasses], as MMAction2's average_clip returns it:
 * probabilities for 'prob', raw mean scores for 'score' (use `viewAverageToProbs` for display).
 * Sums run in float64, so the result does not depend on the view order.
 */
export function averageViews(logits: Float32Array, numClasses: number, method: ViewAverage): Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ActionLensError('AL_ERR_INTERNAL', `averageViews: 'numClasses' must be an integer >= 1, got ${numClasses}`);
  }
  if (method !== 'prob' && method !== 'score') {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `averageViews: 'method' is '${String(method)}', allowed: ${VIEW_AVERAGES.join(', ')}`, {
      hint: "Set output.view_average in the model spec to 'prob' or 'score'.",
    });
  }
  const views = logits.length / numClasses;
  if (!Number.isInteger(views) || views < 1) {
    throw new ActionLensError('AL_ERR_BAD_MODEL_OUTPUT', `averageViews: ${logits.length} scores do not split into views of ${numClasses} classes.`, {
      hint: 'The model output should be [views, num_classes]; check num_classes in the model spec.',
    });
  }
  const sum = new Float64Array(numClasses);
  for (let v = 0; v < views; v++) {
    const row = logits.subarray(v * numClasses, (v + 1) * numClasses); // [numClasses]
    const values = method === 'prob' ? softmax(row) : row;
    for (let c = 0; c < numClasses; c++) sum[c] = sum[c]! + values[c]!;
  }
  const out = new Float32Array(numClasses);
  for (let c = 0; c < numClasses; c++) out[c] = sum[c]! / views;
  return out;
}

/** What the timeline and aggregate show: probabilities ('score' averages get a softmax here). */
export function viewAverageToProbs(averaged: Float32Array, method: ViewAverage): Float32Array {
  return method === 'score' ? softmax(averaged) : averaged;
}
