// Shapes a timeline (the result's windows, or the partial points while a job runs) into the
// timeline chart's lines: one line per top label, score vs time, each window drawn as a flat
// segment over [t_start, t_end) so the chart shows exactly what the overlay shows at that time.
import type { PartialPoint } from '../../../src/core/api/schema.js';
import type { ResultDocument, ResultScoredLabel, ResultTimelineWindow } from '../../../src/core/result/schema.js';

/** Tableau 10: distinct hues that stay apart for most colour-vision deficiencies. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export const OTHER_COLOR = '#8a8f98';

/** More lines than this make the chart unreadable; the table still lists every label. */
export const MAX_LINES = PALETTE.length;
/** Bins (time slots) drawn at most; longer timelines are merged into this many. */
export const MAX_BINS = 1500;

/** The same colour for a label in the table, bar chart, timeline and overlay. */
export function colorMap(labels: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const label of labels) if (!map.has(label)) map.set(label, PALETTE[map.size % PALETTE.length]);
  return map;
}

/** One time slot [t0, t1) with the scores of the labels in its top-K. Empty = no scored frame. */
export interface Bin {
  t0: number;
  t1: number;
  scores: Map<string, number>;
}

export interface ChartPoint {
  x: number;
  y: number | null;
}

export interface TimelineSeries {
  lines: { label: string; color: string; points: ChartPoint[] }[];
  /** End of the time axis (the video's duration when known). */
  xMax: number | undefined;
  /** Labels that qualified but were left out (more than MAX_LINES). */
  hidden: number;
}

function binOfTopk(t0: number, t1: number, topk: readonly ResultScoredLabel[]): Bin {
  return { t0, t1, scores: new Map(topk.map((s) => [s.label, s.score])) };
}

/**
 * Merges consecutive bins in groups so at most `maxBins` remain. A label's score in a merged bin is
 * the mean of its scores where it was in the top-K (no value where it never was); empty bins do not count.
 */
export function mergeBins(bins: readonly Bin[], maxBins: number): Bin[] {
  if (bins.length <= maxBins) return [...bins];
  const group = Math.ceil(bins.length / maxBins);
  const out: Bin[] = [];
  for (let i = 0; i < bins.length; i += group) {
    const part = bins.slice(i, i + group);
    const sums = new Map<string, { sum: number; n: number }>();
    for (const bin of part) {
      for (const [label, score] of bin.scores) {
        const acc = sums.get(label) ?? { sum: 0, n: 0 };
        acc.sum += score;
        acc.n += 1;
        sums.set(label, acc);
      }
    }
    const scores = new Map<string, number>();
    for (const [label, { sum, n }] of sums) scores.set(label, sum / n);
    out.push({ t0: part[0].t0, t1: part[part.length - 1].t1, scores });
  }
  return out;
}

/** Partial points (instants) -> bins of `binSec` (widened so at most `maxBins` cover the points). */
export function binPartial(points: readonly PartialPoint[], binSec: number, maxBins = MAX_BINS): Bin[] {
  if (points.length === 0) return [];
  const lastT = points[points.length - 1].t;
  // lastT / (maxBins - 1): the last point then falls in bin maxBins - 1, the last one allowed.
  const width = Math.max(binSec > 0 ? binSec : 1, maxBins > 1 ? lastT / (maxBins - 1) : lastT + 1);
  const byIndex = new Map<number, { sums: Map<string, { sum: number; n: number }> }>();
  for (const p of points) {
    const index = Math.max(0, Math.floor(p.t / width + 1e-9));
    let slot = byIndex.get(index);
    if (slot === undefined) {
      slot = { sums: new Map() };
      byIndex.set(index, slot);
    }
    for (const s of p.topk) {
      const acc = slot.sums.get(s.label) ?? { sum: 0, n: 0 };
      acc.sum += s.score;
      acc.n += 1;
      slot.sums.set(s.label, acc);
    }
  }
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, slot]) => ({
      t0: index * width,
      t1: (index + 1) * width,
      scores: new Map([...slot.sums].map(([label, { sum, n }]) => [label, sum / n])),
    }));
}

/** Labels with the largest total score over the partial points, best first. */
export function topPartialLabels(points: readonly PartialPoint[], n: number): string[] {
  const totals = new Map<string, number>();
  for (const p of points) for (const s of p.topk) totals.set(s.label, (totals.get(s.label) ?? 0) + s.score);
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([label]) => label);
}

/** Lines for `labels` over `bins`: a flat segment per bin, a gap where the label was not in the top-K. */
export function linesFromBins(bins: readonly Bin[], labels: readonly string[], colors: Map<string, string>): TimelineSeries['lines'] {
  return labels.map((label) => {
    const points: ChartPoint[] = [];
    let gapOpen = false;
    let prevEnd: number | undefined;
    for (const bin of bins) {
      const score = bin.scores.get(label);
      // A hole in time (bins missing in between) is a gap too.
      if (prevEnd !== undefined && bin.t0 > prevEnd + 1e-9 && !gapOpen) {
        points.push({ x: prevEnd, y: null });
        gapOpen = true;
      }
      if (score === undefined) {
        if (!gapOpen) points.push({ x: bin.t0, y: null });
        gapOpen = true;
      } else {
        points.push({ x: bin.t0, y: score }, { x: bin.t1, y: score });
        gapOpen = false;
      }
      prevEnd = bin.t1;
    }
    return { label, color: colors.get(label) ?? OTHER_COLOR, points };
  });
}

/** The finished timeline: lines for the aggregate top-K labels. */
export function seriesFromResult(doc: ResultDocument, maxLines = MAX_LINES, maxBins = MAX_BINS): TimelineSeries {
  const aggregateLabels = doc.aggregate.topk.map((s) => s.label);
  const labels = aggregateLabels.slice(0, maxLines);
  const bins = mergeBins(
    doc.timeline.map((w) => binOfTopk(w.t_start, w.t_end, w.topk)),
    maxBins,
  );
  const lastEnd = doc.timeline.length > 0 ? doc.timeline[doc.timeline.length - 1].t_end : 0;
  const xMax = Math.max(doc.source.duration_s, lastEnd);
  return {
    lines: linesFromBins(bins, labels, colorMap(aggregateLabels)),
    xMax: xMax > 0 ? xMax : undefined,
    hidden: aggregateLabels.length - labels.length,
  };
}

/** The timeline so far while a job runs. */
export function seriesFromPartial(
  points: readonly PartialPoint[],
  options: { binSec: number; lines: number; durationSec?: number; maxBins?: number },
): TimelineSeries {
  const n = Math.min(options.lines, MAX_LINES);
  const labels = topPartialLabels(points, n);
  const bins = binPartial(points, options.binSec, options.maxBins ?? MAX_BINS);
  return {
    lines: linesFromBins(bins, labels, colorMap(labels)),
    xMax: options.durationSec !== undefined && options.durationSec > 0 ? options.durationSec : undefined,
    hidden: 0,
  };
}

/** Index of the window shown at time t (t_start <= t < t_end; the last window also at its end), or -1. */
export function windowIndexAt(timeline: readonly ResultTimelineWindow[], t: number): number {
  if (!Number.isFinite(t) || timeline.length === 0) return -1;
  let lo = 0;
  let hi = timeline.length - 1;
  if (t < timeline[0].t_start) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (timeline[mid].t_start <= t) lo = mid;
    else hi = mid - 1;
  }
  const w = timeline[lo];
  if (t < w.t_end) return lo;
  return lo === timeline.length - 1 && t <= w.t_end + 1e-6 ? lo : -1;
}

/** The top-K shown at time t (best first), empty where no window covers t. */
export function topkAt(timeline: readonly ResultTimelineWindow[], t: number): ResultScoredLabel[] {
  const i = windowIndexAt(timeline, t);
  return i < 0 ? [] : timeline[i].topk;
}

/** Index of the event under time t, or -1. */
export function eventIndexAt(events: readonly { start: number; end: number }[], t: number): number {
  return events.findIndex((e) => e.start <= t && t < e.end);
}

/** Best first; a stable copy (the document is already sorted, this guards the table's promise). */
export function bestFirst<T extends { score: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.score - a.score);
}
