// The live timeline's data: the top-K of every scored frame over the last ~30 s, shaped into one line
// per leading label (score vs seconds before now). A label outside a frame's top-K has no score for
// that frame: the line has a gap there rather than a made-up value.
import type { ScoredLabel } from '../../../src/core/postprocess/index.js';
import { PALETTE } from '../results/timeline-data.js';

export interface LivePoint {
  /** Seconds relative to the newest frame (<= 0). */
  x: number;
  y: number | null;
}

export interface LiveLine {
  label: string;
  color: string;
  points: LivePoint[];
}

export interface LiveHistory {
  /** One scored frame; `tMs` is its grab time. */
  push(tMs: number, topk: readonly ScoredLabel[]): void;
  /** The lines to draw: at most maxLines labels, those with the highest summed score in the window. */
  lines(): LiveLine[];
  clear(): void;
}

export function createLiveHistory(windowMs = 30_000, maxLines = 5): LiveHistory {
  let entries: { tMs: number; scores: Map<string, number> }[] = [];
  // A label keeps its colour while it stays on the chart; a label that comes (back) takes a colour
  // no other drawn line has, so two lines never share one however many labels a session sees.
  const colors = new Map<string, string>();
  const assignColors = (labels: readonly string[]): string[] => {
    const taken = new Set<string>();
    const kept = labels.map((label) => {
      const c = colors.get(label);
      if (c === undefined || taken.has(c)) return undefined;
      taken.add(c);
      return c;
    });
    return labels.map((label, i) => {
      let c = kept[i];
      if (c === undefined) {
        c = PALETTE.find((p) => !taken.has(p)) ?? PALETTE[i % PALETTE.length]!;
        taken.add(c);
        colors.set(label, c);
      }
      return c;
    });
  };

  return {
    push(tMs, topk) {
      entries.push({ tMs, scores: new Map(topk.map((s) => [s.label, s.score])) });
      const oldest = tMs - windowMs;
      if (entries[0]!.tMs < oldest) entries = entries.filter((e) => e.tMs >= oldest);
    },
    lines() {
      const newest = entries.at(-1)?.tMs;
      if (newest === undefined) return [];
      const totals = new Map<string, number>();
      for (const e of entries) for (const [label, score] of e.scores) totals.set(label, (totals.get(label) ?? 0) + score);
      const leading = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxLines).map(([label]) => label);
      const lineColors = assignColors(leading);
      return leading.map((label, i) => ({
        label,
        color: lineColors[i]!,
        points: entries.map((e) => ({ x: (e.tMs - newest) / 1000, y: e.scores.get(label) ?? null })),
      }));
    },
    clear() {
      entries = [];
    },
  };
}
