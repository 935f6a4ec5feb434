export { softmax } from './softmax.js';
export { topK, argmax, type ScoredLabel } from './top-k.js';
export { roundSignificant, roundTime } from './round.js';
export { windowIndexOf } from './window-index.js';
export { createWindowAccumulator, type WindowAccumulator, type WindowMean } from './window-accumulator.js';
export { smoothingKernel, smoothSeries, type SmoothingMethod, type SmoothingOptions } from './smoothing.js';
export { createAggregator, type Aggregator, type AggregateMethod } from './aggregate.js';
export { detectEvents, type ActionEvent, type EventOptions, type EventWindow } from './events.js';
export {
  createTimelineBuilder,
  type TimelineBuilder,
  type TimelineOptions,
  type TimelineResult,
  type TimelineWindow,
} from './timeline-builder.js';
export { averageViews, viewAverageToProbs, VIEW_AVERAGES, type ViewAverage } from './average-views.js';
