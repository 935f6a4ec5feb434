// Decode only chosen frames: ffmpeg's `select` filter keeps frames by their decode-order number n
// (the same numbering PyAV's sequential decode gives), so the pipe carries only what is needed.
// ffmpeg's expression parser fails past ~100 terms, so the wanted indices become at most
// MAX_SELECT_RANGES `between(n,a,b)` runs; where there are more runs the closest ones merge, and the
// extra frames this lets through are dropped again on our side.
import { ActionLensError } from '../core/errors.js';

/** Keeps the select expression well under ffmpeg's parser limit (measured: 100 terms pass, 120 fail). */
export const MAX_SELECT_RANGES = 40;

export interface FrameSelection {
  /** Sorted, unique source frame indices the consumer wants. */
  wanted: number[];
  /** Inclusive [first, last] runs ffmpeg lets through: sorted, disjoint, covering every wanted index. */
  ranges: [number, number][];
}

export function planFrameSelection(indices: readonly number[], maxRanges = MAX_SELECT_RANGES): FrameSelection {
  if (indices.length === 0) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', "'selectFrames' is empty; give at least one frame index, or omit it to decode every frame.");
  }
  const bad = indices.find((i) => !Number.isInteger(i) || i < 0);
  if (bad !== undefined) {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `'selectFrames' must hold integers >= 0, got ${String(bad)}.`);
  }
  const wanted = [...new Set(indices)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const i of wanted) {
    const last = runs[runs.length - 1];
    if (last && i === last[1] + 1) last[1] = i;
    else runs.push([i, i]);
  }
  if (runs.length <= maxRanges) return { wanted, ranges: runs };
  // Close the smallest gaps first: fewest extra frames decoded for the ranges allowed.
  const gaps = runs.slice(1).map((run, k) => ({ after: k, size: run[0] - runs[k]![1] }));
  const closed = new Set(gaps.sort((a, b) => a.size - b.size || a.after - b.after).slice(0, runs.length - maxRanges).map((g) => g.after));
  const ranges: [number, number][] = [[...runs[0]!]];
  for (let k = 1; k < runs.length; k++) {
    if (closed.has(k - 1)) ranges[ranges.length - 1]![1] = runs[k]![1];
    else ranges.push([...runs[k]!]);
  }
  return { wanted, ranges };
}

/** Frames ffmpeg will output for these ranges. */
export function selectedFrameCount(ranges: readonly (readonly [number, number])[]): number {
  return ranges.reduce((n, [a, b]) => n + b - a + 1, 0);
}

/** The select filter (quoted so its commas do not split the filter chain). */
export function selectFilter(ranges: readonly (readonly [number, number])[]): string {
  const terms = ranges.map(([a, b]) => (a === b ? `eq(n,${a})` : `between(n,${a},${b})`));
  return `select='${terms.join('+')}'`;
}

/**
 * Maps ffmpeg's k-th output frame (k = 0, 1, 2... in order) back to its source index; undefined for
 * frames the ranges let through that nobody asked for.
 */
export function createSelectionMapper(selection: FrameSelection): (outputIndex: number) => number | undefined {
  let range = 0;
  let rangeStartOutput = 0; // output index of the current range's first frame
  let wantedPos = 0;
  return (outputIndex) => {
    const { ranges, wanted } = selection;
    while (range < ranges.length && outputIndex - rangeStartOutput > ranges[range]![1] - ranges[range]![0]) {
      rangeStartOutput += ranges[range]![1] - ranges[range]![0] + 1;
      range++;
    }
    if (range >= ranges.length) return undefined;
    const source = ranges[range]![0] + (outputIndex - rangeStartOutput);
    while (wantedPos < wanted.length && wanted[wantedPos]! < source) wantedPos++;
    return wanted[wantedPos] === source ? source : undefined;
  };
}
