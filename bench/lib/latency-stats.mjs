// Summary figures for per-frame latencies, in the form every bench prints.

/** Nearest-rank percentile of an ascending array, p in [0, 100]. */
export function percentile(sortedAscending, p) {
  if (sortedAscending.length === 0) throw new Error('percentile: no samples.');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile: p is ${p}; use a number in [0, 100].`);
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1];
}

const round3 = (x) => Math.round(x * 1000) / 1000;

/** @param {number[]} samplesMs @returns {{ mean: number, p50: number, p90: number, min: number, max: number, n: number }} */
export function summarizeLatencies(samplesMs) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    mean: round3(mean),
    p50: round3(percentile(sorted, 50)),
    p90: round3(percentile(sorted, 90)),
    min: round3(sorted[0]),
    max: round3(sorted[sorted.length - 1]),
    n: sorted.length,
  };
}
