import { ActionLensError } from '../errors.js';
import { createAggregator, type AggregateMethod } from './aggregate.js';
import { detectEvents, type ActionEvent, type EventOptions, type EventWindow } from './events.js';
import { roundSignificant, roundTime } from './round.js';
import { smoothingKernel, smoothSeries, type SmoothingOptions } from './smoothing.js';
import { topK, type ScoredLabel } from './top-k.js';
import { createWindowAccumulator } from './window-accumulator.js';

/** What the builder needs; the `analysis` settings have this shape (plus sampling fields). */
export interface TimelineOptions {
  /** Class names in model output order; also fixes the number of classes. */
  labels: readonly string[];
  topk: number;
  threshold: number;
  window_sec: number;
  smoothing: SmoothingOptions;
  aggregate: AggregateMethod;
  events: EventOptions;
  /** Significant digits kept in scores (default 6) so float noise cannot change the JSON. */
  significant_digits?: number;
}

/** One window of the timeline: its (smoothed) top-K. topk is empty for a window with no data. */
export interface TimelineWindow {
  t_start: number;
  t_end: number;
  topk: ScoredLabel[];
}

export interface TimelineResult {
  timeline: TimelineWindow[];
  aggregate: { method: AggregateMethod; topk: ScoredLabel[] };
  events: ActionEvent[];
  /** How many frames were pushed. */
  frames: number;
}

export interface TimelineBuilder {
  /** Adds the class probabilities (after softmax) of the frame shown at tSec. */
  push(tSec: number, probs: Float32Array): void;
  /** Smooths, ranks and finds events. durationSec (0 if unknown) extends the timeline to the video's end. */
  finish(durationSec: number): TimelineResult;
}

/**
 * Turns a stream of scored frames into the result's timeline, aggregate and events.
 * Memory: one array per window and one for the aggregate, never one per frame.
 */
export function createTimelineBuilder(options: TimelineOptions): TimelineBuilder {
  const numClasses = options.labels.length;
  if (numClasses === 0) {
    throw new ActionLensError('AL_ERR_INTERNAL', 'createTimelineBuilder: labels is empty; pass the model\'s class names.');
  }
  const digits = options.significant_digits ?? 6;
  const windows = createWindowAccumulator(options.window_sec, numClasses);
  const aggregator = createAggregator(options.aggregate, numClasses);
  let finished = false;

  const rank = (scores: Float32Array): ScoredLabel[] =>
    topK(scores, options.topk, options.threshold, options.labels).map((s) => ({
      ...s,
      score: roundSignificant(s.score, digits),
    }));

  return {
    push(tSec, probs) {
      if (finished) throw new ActionLensError('AL_ERR_INTERNAL', 'TimelineBuilder.push called after finish().');
      windows.push(tSec, probs); // validates tSec and the class count first
      aggregator.push(probs);
    },
    finish(durationSec) {
      finished = true;
      const w = options.window_sec;
      const filled = windows.windows();
      const lastFilled = filled.length > 0 ? filled[filled.length - 1].index : -1;
      const fromDuration = durationSec > 0 ? Math.ceil(durationSec / w - 1e-9) : 0; // windows that cover [0, duration)
      const count = Math.max(lastFilled + 1, fromDuration);

      const series: (Float32Array | null)[] = new Array(count).fill(null);
      for (const win of filled) series[win.index] = win.mean;
      const smoothed = smoothSeries(series, smoothingKernel(options.smoothing, w));

      const eventWindows: EventWindow[] = smoothed.map((scores, k) => {
        const isLast = k === count - 1;
        const end = isLast && durationSec > k * w ? Math.min((k + 1) * w, durationSec) : (k + 1) * w;
        return { t_start: roundTime(k * w), t_end: roundTime(end), scores };
      });
      const timeline = eventWindows.map((ew) => ({
        t_start: ew.t_start,
        t_end: ew.t_end,
        topk: ew.scores ? rank(ew.scores) : [],
      }));
      const events = detectEvents(eventWindows, options.events, options.labels).map((e) => ({
        ...e,
        peak: roundSignificant(e.peak, digits),
      }));
      const agg = aggregator.result();
      return {
        timeline,
        aggregate: { method: options.aggregate, topk: agg ? rank(agg) : [] },
        events,
        frames: aggregator.frames(),
      };
    },
  };
}
