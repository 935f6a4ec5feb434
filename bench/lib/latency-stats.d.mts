// Types for latency-stats.mjs.
export interface LatencySummary { mean: number; p50: number; p90: number; min: number; max: number; n: number }
export function percentile(sortedAscending: readonly number[], p: number): number;
export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary;
