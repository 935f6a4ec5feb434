import type { ResultDocument, ResultScoredLabel, ResultTimelineWindow } from './schema.js';

/** Labels shown per cue when the caller does not say. */
export const DEFAULT_SHOWN_TOPK = 3;

/** One stretch of consecutive timeline windows that show the same labels in the same order. */
export interface LabelRun {
  start: number;
  end: number;
  /** The shown labels, best first; score = the mean over the run's windows, weighted by their length. */
  labels: ResultScoredLabel[];
}

export interface LabelRunOptions {
  /** Labels shown per window (at most what a window has). */
  topk: number;
  /** The video's length: runs are clipped to it; 0 = unknown, no clipping. */
  durationSec: number;
}

/** Windows closer than this (seconds) count as touching; window times are rounded to microseconds. */
const CONTIGUITY_EPS = 1e-6;

function runKey(shown: readonly ResultScoredLabel[]): string {
  return JSON.stringify(shown.map((s) => [s.index, s.label]));
}

/**
 * Merges the timeline into runs of windows whose shown labels (the top `topk`, in rank order) are
 * the same, so a steady label is one subtitle instead of one per window. Empty windows and gaps
 * in time end a run. Shared by the WebVTT and ASS exports so both show the same stretches.
 */
export function timelineLabelRuns(timeline: readonly ResultTimelineWindow[], options: LabelRunOptions): LabelRun[] {
  const topk = Math.max(1, Math.floor(options.topk));
  const limit = options.durationSec > 0 ? options.durationSec : Number.POSITIVE_INFINITY;
  const runs: LabelRun[] = [];
  let current: { key: string; start: number; end: number; weight: number; sums: number[]; shown: ResultScoredLabel[] } | undefined;

  const flush = () => {
    if (current && current.end > current.start) {
      const { weight, sums, shown } = current;
      runs.push({
        start: current.start,
        end: current.end,
        labels: shown.map((s, i) => ({ label: s.label, index: s.index, score: weight > 0 ? sums[i] / weight : s.score })),
      });
    }
    current = undefined;
  };

  for (const window of timeline) {
    const start = window.t_start;
    const end = Math.min(window.t_end, limit);
    if (window.topk.length === 0 || !(end > start)) {
      flush();
      continue;
    }
    const shown = window.topk.slice(0, topk);
    const key = runKey(shown);
    const length = end - start;
    if (current && current.key === key && Math.abs(start - current.end) <= CONTIGUITY_EPS) {
      current.end = end;
      current.weight += length;
      shown.forEach((s, i) => (current!.sums[i] += s.score * length));
    } else {
      flush();
      current = { key, start, end, weight: length, sums: shown.map((s) => s.score * length), shown };
    }
  }
  flush();
  return runs;
}

/** "87%": whole percent, as a viewer reads it. */
export function formatPercent(score: number): string {
  return `${Math.round(score * 100)}%`;
}

/** WebVTT timestamp HH:MM:SS.mmm (hours grow past two digits for very long videos). */
export function formatVttTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms % 1000, 3)}`;
}

/** Cue text: &, < and > are markup in WebVTT; a line break would end the cue early. */
export function escapeVttText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n]+/g, ' ');
}

/** NOTE blocks end at a blank line and may not contain "-->". */
function noteLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/-->/g, '--\u200b>');
}

export interface WebVttOptions {
  /** Labels per cue (default 3; never more than a window has). */
  topk?: number;
}

/**
 * The timeline as WebVTT subtitles for a <track> element: one cue per run of windows showing the
 * same labels, each label on its own line with its mean score over the cue, e.g. "arm wrestling 87%".
 */
export function resultToWebVtt(doc: ResultDocument, opts: WebVttOptions = {}): string {
  const topk = opts.topk ?? DEFAULT_SHOWN_TOPK;
  const runs = timelineLabelRuns(doc.timeline, { topk, durationSec: doc.source.duration_s });
  const blocks: string[] = [
    'WEBVTT',
    [
      'NOTE',
      noteLine(`actionlens action labels for ${doc.source.name}`),
      noteLine(`model: ${doc.model.id}`),
      noteLine(`settings: ${JSON.stringify(doc.settings)}`),
      noteLine(`shown: top ${Math.max(1, Math.floor(topk))} per cue; a cue merges consecutive windows with the same labels, scores are their mean`),
    ].join('\n'),
  ];
  for (const run of runs) {
    const start = formatVttTime(run.start);
    const end = formatVttTime(run.end);
    if (start === end) continue; // shorter than a millisecond
    const lines = run.labels.map((s) => `${escapeVttText(s.label)} ${formatPercent(s.score)}`);
    blocks.push(`${start} --> ${end}\n${lines.join('\n')}`);
  }
  return `${blocks.join('\n\n')}\n`;
}
