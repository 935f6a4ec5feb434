import { argmax } from './top-k.js';

export interface EventOptions {
  /** A label opens an event on a window where it is top-1 with a score >= enter_score. */
  enter_score: number;
  /** An open event continues while its label stays top-1 with a score >= exit_score (<= enter_score). */
  exit_score: number;
  /** Events shorter than this (end - start, seconds) are dropped. */
  min_duration_sec: number;
}

/** A span of the timeline where one label stays on top. Times in seconds, peak = its best score. */
export interface ActionEvent {
  label: string;
  index: number;
  start: number;
  end: number;
  peak: number;
}

/** One window of the (smoothed) timeline; scores null for a window with no data. */
export interface EventWindow {
  t_start: number;
  t_end: number;
  scores: Float32Array | null;
}

/**
 * Finds events with hysteresis. Walking the windows in order:
 * - no open event: the window's top-1 class (ties: lower index) opens one when its score >= enter_score;
 * - open event for class L: the window extends it when L is still its top-1 and scores >= exit_score;
 *   otherwise the event ends at this window's start, and the same window may open a new event;
 * - a window with no data ends any open event; the last open event ends at the last window's end.
 * Events with end - start < min_duration_sec are dropped. peak is L's highest score in the event.
 */
export function detectEvents(
  windows: readonly EventWindow[],
  options: EventOptions,
  labels: readonly string[],
): ActionEvent[] {
  const events: ActionEvent[] = [];
  let open: { index: number; start: number; end: number; peak: number } | null = null;

  const close = (): void => {
    if (open && open.end - open.start >= options.min_duration_sec - 1e-9) {
      events.push({ label: labels[open.index] ?? `class_${open.index}`, ...open });
    }
    open = null;
  };

  for (const w of windows) {
    const top = w.scores ? argmax(w.scores) : -1;
    if (open && w.scores && top === open.index && w.scores[top] >= options.exit_score) {
      open.end = w.t_end;
      open.peak = Math.max(open.peak, w.scores[top]);
      continue;
    }
    close();
    if (w.scores && top >= 0 && w.scores[top] >= options.enter_score) {
      open = { index: top, start: w.t_start, end: w.t_end, peak: w.scores[top] };
    }
  }
  close();
  return events;
}
